/*
 * sim/cli/cli.h - the subcommands of the hlsim command (one file each).
 * Each returns the process exit status: 0 success, 1 failure (message printed), 2 usage.
 */
#ifndef HLSIM_CLI_H
#define HLSIM_CLI_H

#include "hlsim/error.h"

int cli_run(int argc, char **argv);
int cli_info(int argc, char **argv);
int cli_disasm(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_config(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_whatif(int argc, char **argv);
int cli_plot(int argc, char **argv);
int cli_vdev(int argc, char **argv);
int cli_cosim(int argc, char **argv);
int cli_capture(int argc, char **argv);

/* Print "hlsim: <what>: <detail>" for @rc and return 1 (or 2 for usage errors). */
int cli_fail(hlsim_err_t rc, const char *what);
/* Parse an unsigned integer with an optional binary suffix (K, M, G, KiB, MiB, GiB). */
int cli_parse_u64(const char *s, uint64_t *out);
/* The bundled sample trace: the build tree's, else the installed one; NULL if none. */
const char *cli_sample_trace(void);

#endif
