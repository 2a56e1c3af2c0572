/*
 * models/common/error.c - messages for hlsim_err_t and the per-thread error detail.
 */
#include <stdio.h>
#include <string.h>

#include "hlsim/error.h"

static _Thread_local char detail_[1024];

const char *hlsim_strerror(hlsim_err_t rc)
{
	switch (rc) {
#define HLSIM_ERR_MSG_(name, msg)                                                          \
	case HLSIM_##name:                                                                 \
		return msg;
		HLSIM_ERR_MAP(HLSIM_ERR_MSG_)
#undef HLSIM_ERR_MSG_
	case HLSIM_ERR_COUNT_:
		break;
	}
	return "unknown error";
}

const char *hlsim_err_name(hlsim_err_t rc)
{
	switch (rc) {
#define HLSIM_ERR_NAME_(name, msg)                                                         \
	case HLSIM_##name:                                                                 \
		return #name;
		HLSIM_ERR_MAP(HLSIM_ERR_NAME_)
#undef HLSIM_ERR_NAME_
	case HLSIM_ERR_COUNT_:
		break;
	}
	return "E_UNKNOWN";
}

hlsim_err_t hlsim_error(hlsim_err_t rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail_, sizeof(detail_), fmt, ap);
	va_end(ap);
	return rc;
}

hlsim_err_t hlsim_error_prefix(hlsim_err_t rc, const char *fmt, ...)
{
	char old[sizeof(detail_)];
	size_t n, m;
	va_list ap;

	if (detail_[0])
		memcpy(old, detail_, sizeof(old));
	else
		snprintf(old, sizeof(old), "%s", hlsim_strerror(rc));
	va_start(ap, fmt);
	vsnprintf(detail_, sizeof(detail_), fmt, ap);
	va_end(ap);
	n = strlen(detail_);
	m = strnlen(old, sizeof(old) - 1);
	if (m > sizeof(detail_) - 1 - n)
		m = sizeof(detail_) - 1 - n;
	memcpy(detail_ + n, old, m);
	detail_[n + m] = '\0';
	return rc;
}

const char *hlsim_last_error_detail(void)
{
	return detail_;
}

void hlsim_clear_error(void)
{
	detail_[0] = '\0';
}
