/*
 * tests/unit/test_config_text.c - hlsim_config_load_text: the resolved configuration a
 * results file stores loads back to the same values, and bad text is refused with the
 * given name and the line.
 */
#include <stdlib.h>

#include "hlsim/config.h"
#include "tests/unit/check.h"

int main(void)
{
	hlsim_config_t *a = NULL, *b = NULL, *bad = NULL;
	const struct hlsim_param *p;
	char *text = NULL;

	CHECK_EQ_U64(hlsim_config_load("gaudi2_hl225", &a), HLSIM_OK);
	CHECK_EQ_U64(hlsim_config_to_string(a, &text), HLSIM_OK);
	CHECK_EQ_U64(hlsim_config_load_text(text, "stored config", &b), HLSIM_OK);
	for (p = hlsim_config_params(); a && b && p->key; p++) {
		switch (p->type) {
		case HLSIM_PARAM_U64:
		case HLSIM_PARAM_BOOL:
		case HLSIM_PARAM_BYTES:
		case HLSIM_PARAM_TIME:
			CHECK_EQ_U64(hlsim_config_u64(a, p->key), hlsim_config_u64(b, p->key));
			break;
		case HLSIM_PARAM_F64:
		case HLSIM_PARAM_FREQ:
		case HLSIM_PARAM_BANDWIDTH:
			CHECK(hlsim_config_f64(a, p->key) == hlsim_config_f64(b, p->key));
			break;
		case HLSIM_PARAM_STR:
			CHECK(!strcmp(hlsim_config_str(a, p->key), hlsim_config_str(b, p->key)));
			break;
		}
	}
	CHECK_EQ_U64(hlsim_config_load_text("[hbm]\nbandwidth = 2TB/s\nlatency = soon\n", "stored",
					    &bad),
		     HLSIM_E_CONFIG);
	CHECK(bad == NULL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "stored:3");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "hbm.latency");
	free(text);
	hlsim_config_free(a);
	hlsim_config_free(b);
	return check_summary();
}
