/*
 * tests/perf/bench_capture.c - what `hlsim capture` adds to a submission-heavy program
 * (issue 8: target under 5 %): tests/vdev_prog's `loop N` (N CSs of one NOP, each waited
 * for) on the virtual device alone, and the same under `hlsim capture --backend vdev`,
 * which journals every call on its way to the virtual device. The program times its own
 * loop; the cases alternate, ROUNDS times each, and the medians are compared in one run
 * (machines are noisy: only the ratio means something).
 *
 *   bench_capture [N] [-d DIR]     N CSs per loop (default 20000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROUNDS 5

/* Run @cmd, return the us per submission and wait that vdev_prog printed, or -1. */
static double run(const char *cmd)
{
	char line[512];
	double us = -1;
	FILE *p = popen(cmd, "r");

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		const char *k = strstr(line, "ms: ");

		if (!strncmp(line, "vdev_prog loop: ", 16) && k)
			us = strtod(k + 4, NULL);
	}
	if (pclose(p) != 0)
		return -1;
	return us;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char dir[512], prog[600], cmd[2400];
	double v[ROUNDS], c[ROUNDS], mv, mc;
	unsigned long n = 20000;
	int i;

	snprintf(dir, sizeof(dir), "/tmp/hlsim_bench_capture_%d", (int)getpid());
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			snprintf(dir, sizeof(dir), "%s", argv[++i]);
		} else {
			char *end;

			n = strtoul(argv[i], &end, 10);
			if (*end || !n) {
				fprintf(stderr, "usage: bench_capture [N] [-d DIR]\n");
				return 2;
			}
		}
	}
	mkdir(dir, 0755);
	snprintf(prog, sizeof(prog), "%s", HLSIM_VDEV_PROG);
	printf("bench_capture: %lu CSs of one NOP, each waited for; %d rounds each, in %s\n", n,
	       ROUNDS, dir);
	for (i = 0; i < ROUNDS; i++) {
		/* capture --backend vdev runs the virtual device without the co-simulation */
		snprintf(cmd, sizeof(cmd), "%s vdev --timing estimate -o %s/v -- %s loop %lu 2>&1",
			 HLSIM_EXE, dir, prog, n);
		v[i] = run(cmd);
		snprintf(cmd, sizeof(cmd),
			 "%s capture --backend vdev -o %s/c.h5 -- %s loop %lu 2>&1", HLSIM_EXE,
			 dir, prog, n);
		c[i] = run(cmd);
		if (v[i] < 0 || c[i] < 0) {
			fprintf(stderr, "bench_capture: round %d failed (virtual device %.3f, "
					"capture %.3f)\n", i, v[i], c[i]);
			return 1;
		}
		printf("  round %d: virtual device %.3f us, with capture %.3f us per CS + wait\n",
		       i, v[i], c[i]);
	}
	qsort(v, ROUNDS, sizeof(v[0]), cmp_double);
	qsort(c, ROUNDS, sizeof(c[0]), cmp_double);
	mv = v[ROUNDS / 2];
	mc = c[ROUNDS / 2];
	printf("median: virtual device %.3f us, with capture %.3f us per submission and wait: "
	       "capture adds %.1f %% (target: under 5 %%)\n", mv, mc, (mc / mv - 1) * 100);
	return 0;
}
