/**
 * hlsim/config.h - configuration as data.
 *
 * Every parameter is declared once (models/common/params.c) with its type, unit,
 * default and description. A configuration is a preset INI file
 * (models/configs/<name>.ini) plus `--set key=value` overrides. Unknown keys, bad
 * values and bad units are errors naming the file, line and key.
 * Values are kept in SI base units: bytes, hertz, picoseconds, bytes per second.
 */
#ifndef HLSIM_CONFIG_H
#define HLSIM_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "hlsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hlsim_config hlsim_config_t;

/** enum hlsim_param_type - how a value is written and stored. */
enum hlsim_param_type {
	HLSIM_PARAM_U64 = 0, /* plain integer: "8", "0xFF" */
	HLSIM_PARAM_F64, /* plain real: "0.85" */
	HLSIM_PARAM_BOOL, /* true/false/1/0/yes/no */
	HLSIM_PARAM_STR, /* a word */
	HLSIM_PARAM_BYTES, /* "20MiB", "32GB", "4096" -> bytes (u64) */
	HLSIM_PARAM_FREQ, /* "1.95GHz", "450MHz" -> hertz (f64) */
	HLSIM_PARAM_TIME, /* "100ns", "1.5us", "2ps" -> picoseconds (u64) */
	HLSIM_PARAM_BANDWIDTH, /* "2.45TB/s", "32GB/s", "100Gb/s" -> bytes per second (f64) */
};

/** struct hlsim_param - one declared parameter. */
struct hlsim_param {
	const char *key; /* "hbm.bandwidth": section.name */
	enum hlsim_param_type type;
	const char *default_value; /* as it would be written in the INI; never NULL */
	const char *description; /* one sentence, with the source or "[I] inferred" */
};

/** hlsim_config_params - the declared parameters, terminated by a {NULL} row. */
HLSIM_API const struct hlsim_param *hlsim_config_params(void);

/**
 * hlsim_config_load - load preset @name_or_path: an existing file path, or a preset
 * name looked up as <dir>/<name>.ini in HLSIM_CONFIG_DIR (env), the build tree's and
 * the installed models/configs. NULL loads the default preset ("gaudi_hl205").
 */
HLSIM_API hlsim_err_t hlsim_config_load(const char *name_or_path, hlsim_config_t **out);
/**
 * hlsim_config_load_text - load a configuration from INI @text (for example the resolved
 * configuration stored in a results file); @name names it in errors and origins. The
 * same rules as a preset file apply, except that it is not looked up anywhere.
 */
HLSIM_API hlsim_err_t hlsim_config_load_text(const char *text, const char *name,
					     hlsim_config_t **out);
/** hlsim_config_defaults - a configuration holding only the declared defaults. */
HLSIM_API hlsim_err_t hlsim_config_defaults(hlsim_config_t **out);
/** hlsim_config_set - apply "key=value" (from --set); @origin names it in errors. */
HLSIM_API hlsim_err_t hlsim_config_set(hlsim_config_t *c, const char *key_eq_value,
				       const char *origin);
HLSIM_API void hlsim_config_free(hlsim_config_t *c);

/** Getters: the key must be declared (asserted); the type must match the declaration. */
HLSIM_API uint64_t hlsim_config_u64(const hlsim_config_t *c, const char *key); /* U64, BYTES, TIME, BOOL */
HLSIM_API double hlsim_config_f64(const hlsim_config_t *c, const char *key); /* F64, FREQ, BANDWIDTH */
HLSIM_API const char *hlsim_config_str(const hlsim_config_t *c, const char *key);
/** hlsim_config_name - the preset name or path it came from. */
HLSIM_API const char *hlsim_config_name(const hlsim_config_t *c);

/**
 * hlsim_config_write - the resolved configuration as INI, every parameter with its
 * value, unit and origin (default, preset file:line, --set) as a comment.
 */
HLSIM_API hlsim_err_t hlsim_config_write(const hlsim_config_t *c, FILE *out);
/** hlsim_config_to_string - same as hlsim_config_write into a malloc'd string. */
HLSIM_API hlsim_err_t hlsim_config_to_string(const hlsim_config_t *c, char **out);

#ifdef __cplusplus
}
#endif
#endif /* HLSIM_CONFIG_H */
