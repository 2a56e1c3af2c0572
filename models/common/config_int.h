/*
 * models/common/config_int.h - internal helpers of the configuration module
 * (models/common/config.c, models/common/params.c), not installed.
 *
 * The public API is include/hlsim/config.h. This header adds what the command line
 * (`hlsim config params`), sweeps and tests need beyond it: the parameter listing,
 * declared-key lookup, the origin of a resolved value, and the value parser and
 * canonical formatter on their own.
 */
#ifndef HLSIM_MDL_CONFIG_INT_H
#define HLSIM_MDL_CONFIG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/* Limits of an INI file, each enforced with an HLSIM_E_CONFIG error. */
#define MDL_CONFIG_MAX_LINE_BYTES 4096		/* bytes per line, without the newline */
#define MDL_CONFIG_MAX_FILE_BYTES (1024 * 1024) /* 1 MiB */

/* Room for any canonical value mdl_config_format_value() writes, with its NUL. */
#define MDL_CONFIG_VALUE_MAX 64

/**
 * struct mdl_config_value - one parsed value, in SI base units.
 * @u64: U64; BYTES (bytes); TIME (picoseconds); BOOL (0 or 1).
 * @f64: F64; FREQ (hertz); BANDWIDTH (bytes per second). Always finite.
 * @str: STR: the word. Borrowed from the text given to mdl_config_parse_value().
 */
struct mdl_config_value {
	uint64_t u64;
	double f64;
	const char *str;
};

/**
 * mdl_config_params_print - list every declared parameter on @out: key, type and
 * stored unit, default as written in an INI file, and description. One line each, in
 * declaration order (for `hlsim config params`). HLSIM_E_IO if writing fails.
 */
hlsim_err_t mdl_config_params_print(FILE *out);

/** mdl_config_param_find - the declaration of @key ("hbm.bandwidth"), or NULL. */
const struct hlsim_param *mdl_config_param_find(const char *key);

/** mdl_config_type_name - "bandwidth", "time", ... for @type. */
const char *mdl_config_type_name(enum hlsim_param_type type);
/** mdl_config_type_unit - the stored unit of @type: "bytes/s", "ps", "Hz", "bytes", ... */
const char *mdl_config_type_unit(enum hlsim_param_type type);

/**
 * mdl_config_parse_value - parse @text as a value of @type into @out. Only the
 * syntax and unit are checked here, not the per-key rules (> 0, ranges, choices).
 * On failure returns HLSIM_E_CONFIG with a detail "@where: bad value 'TEXT' for
 * @key: REASON; expected ..." (@where and @key may be NULL). @text must be trimmed;
 * one run of blanks between the number and its unit is allowed ("1 TB/s").
 * Locale-independent.
 */
hlsim_err_t mdl_config_parse_value(enum hlsim_param_type type, const char *text, const char *where,
				   const char *key, struct mdl_config_value *out);

/**
 * mdl_config_format_value - write @v in the canonical form of @type into @buf (room
 * for @cap bytes, at least MDL_CONFIG_VALUE_MAX for a complete value): the form
 * mdl_config_parse_value() reads back to exactly the same value ("1.5us",
 * "12.5GB/s", "20MiB", "0.8"). Returns the length written (truncated if @cap is too
 * small, always NUL-terminated if @cap > 0).
 */
size_t mdl_config_format_value(enum hlsim_param_type type, const struct mdl_config_value *v,
			       char *buf, size_t cap);

/**
 * mdl_config_origin - where the value of @key in @c came from: "default",
 * "preset FILE:LINE", or the origin given to hlsim_config_set() ("--set").
 * NULL if @key is not declared.
 */
const char *mdl_config_origin(const hlsim_config_t *c, const char *key);

#endif /* HLSIM_MDL_CONFIG_INT_H */
