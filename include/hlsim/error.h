/**
 * hlsim/error.h - one error enum for the whole project, generated from one table.
 *
 * Every fallible function returns hlsim_err_t; results go through out-parameters.
 * The site that knows the most (file, line, key, CS, job, byte offset) records a
 * human-readable detail with hlsim_error(); callers read it back with
 * hlsim_last_error_detail(). Library code never exits on bad input.
 */
#ifndef HLSIM_ERROR_H
#define HLSIM_ERROR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define HLSIM_API __attribute__((visibility("default")))
#define HLSIM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HLSIM_API
#define HLSIM_PRINTF(a, b)
#endif

/* name, message */
#define HLSIM_ERR_MAP(XX)                                                  \
	XX(OK, "success")                                                  \
	XX(E_NOMEM, "out of memory")                                       \
	XX(E_IO, "input/output error")                                     \
	XX(E_INVAL, "invalid argument")                                    \
	XX(E_USAGE, "bad command-line usage")                              \
	XX(E_CONFIG, "invalid configuration")                              \
	XX(E_TRACE_FORMAT, "malformed trace file")                         \
	XX(E_DECODE, "invalid command-buffer packet")                      \
	XX(E_UNSUPPORTED, "not supported")                                 \
	XX(E_UNSUPPORTED_ASIC, "unsupported ASIC")                         \
	XX(E_DEADLOCK, "simulation deadlock: every queue is blocked")      \
	XX(E_SIM, "simulation error")                                      \
	XX(E_EXTERNAL, "external program failed")

typedef enum {
#define HLSIM_ERR_ENUM_(name, msg) HLSIM_##name,
	HLSIM_ERR_MAP(HLSIM_ERR_ENUM_)
#undef HLSIM_ERR_ENUM_
	HLSIM_ERR_COUNT_
} hlsim_err_t;

/** hlsim_strerror - the generic message of @rc ("malformed trace file"). */
HLSIM_API const char *hlsim_strerror(hlsim_err_t rc);
/** hlsim_err_name - the symbolic name of @rc ("E_TRACE_FORMAT"). */
HLSIM_API const char *hlsim_err_name(hlsim_err_t rc);

/**
 * hlsim_error - record the detail of an error for this thread and return @rc,
 * so a failing site can write `return hlsim_error(HLSIM_E_CONFIG, "%s:%d: ...", ...)`.
 */
HLSIM_API hlsim_err_t hlsim_error(hlsim_err_t rc, const char *fmt, ...) HLSIM_PRINTF(2, 3);
/** hlsim_error_prefix - prepend context ("trace.h5: CS 3, job 1: ") to the current detail. */
HLSIM_API hlsim_err_t hlsim_error_prefix(hlsim_err_t rc, const char *fmt, ...) HLSIM_PRINTF(2, 3);
/** hlsim_last_error_detail - the detail of the last error on this thread ("" if none). */
HLSIM_API const char *hlsim_last_error_detail(void);
/** hlsim_clear_error - forget the recorded detail. */
HLSIM_API void hlsim_clear_error(void);

#ifdef __cplusplus
}
#endif
#endif /* HLSIM_ERROR_H */
