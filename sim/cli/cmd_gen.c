/*
 * sim/cli/cmd_gen.c - `hlsim gen KIND [options] -o TRACE`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sim/cli/cli.h"
#include "traces/gen/gen_coll.h"
#include "traces/gen/gen_conv.h"
#include "traces/gen/gen_dpstep.h"
#include "traces/gen/gen_elementwise.h"
#include "traces/gen/gen_gemm.h"
#include "traces/gen/gen_model.h"
#include "traces/gen/gen_ops.h"
#include "traces/trc_gen.h"

static void gen_usage(FILE *o)
{
	fprintf(o,
		"usage: hlsim gen dma|gemm|conv2d|elementwise|reduction|softmax|layernorm|copy|\n"
		"       transpose|attention|transformer [options] -o TRACE;\n"
		"       hlsim gen graph FILE -o TRACE  (each kind has --help)\n"
		"       (each kind prints its options with --help)\n"
		"       hlsim gen allreduce|reducescatter|allgather|alltoall|broadcast\n"
		"       [options] -o TRACE: a collective on N devices (--help for its options)\n"
		"       hlsim gen dpstep [options] -o TRACE: a data-parallel training step\n\n"
		"A synthetic Gaudi trace of DMA jobs: per CS a DMA-down job (host -> HBM),\n"
		"Q internal DMA jobs (HBM -> SRAM, each fenced on the DMA-down through a SOB\n"
		"and a monitor) and a DMA-up job (SRAM -> host, fenced on all Q), made of real\n"
		"Gaudi packets. Options:\n"
		"  --cs N          data CSs after the program download (default 16)\n"
		"  --queues Q      internal DMA engines used, 1..6 (default 4)\n"
		"  --transfers T   LIN_DMA packets per job and stage (default 2)\n"
		"  --bytes B       bytes per LIN_DMA, suffixes K/M/G (default 256K)\n"
		"  --slots S       CSs in flight (default 4)\n"
		"  --packets P     at least P packets (raises --cs)\n"
		"  --asic NAME     gaudi (default)\n"
		"  --sample        the bundled sample trace (the defaults)\n"
		"  -o TRACE        output file (required)\n");
}

int cli_gen(int argc, char **argv)
{
	struct trc_gen_dma_opts o;
	const char *out = NULL;
	char cmdline[1024];
	size_t used = 0;
	uint64_t v, packets = 0;
	struct timespec t0, t1;
	hlsim_err_t rc;
	int i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		gen_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "gemm"))
		return trc_gen_gemm_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "conv2d"))
		return trc_gen_conv_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "elementwise"))
		return trc_gen_elementwise_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "graph"))
		return trc_gen_graph_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "attention") || !strcmp(argv[1], "transformer"))
		return trc_gen_model_main(argc - 1, argv + 1);
	if (trc_gen_coll_op_by_name(argv[1]) >= 0)
		return trc_gen_coll_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "dpstep"))
		return trc_gen_dpstep_main(argc - 1, argv + 1);
	if (trc_gen_op_kind_by_name(argv[1]) > TRC_GEN_OP_ELEMENTWISE)
		return trc_gen_ops_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "dma") != 0) {
		fprintf(stderr,
			"hlsim gen: unknown kind '%s' (this release generates: dma, gemm, "
			"conv2d, elementwise, reduction, softmax, layernorm, copy, transpose, "
			"graph, attention, transformer, allreduce, reducescatter, allgather, "
			"alltoall, broadcast, dpstep)\n",
			argv[1]);
		return 2;
	}
	trc_gen_dma_defaults(&o);
	cmdline[0] = '\0';
	for (i = 0; i < argc && used < sizeof(cmdline); i++)
		used += (size_t)snprintf(cmdline + used, sizeof(cmdline) - used, "%s%s",
					 i ? " " : "hlsim ", argv[i]);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--sample")) {
			continue;
		} else if (!strcmp(a, "-o") && val) {
			out = val;
		} else if (!strcmp(a, "--asic") && val) {
			o.asic = val;
		} else if ((!strcmp(a, "--cs") || !strcmp(a, "--queues") ||
			    !strcmp(a, "--transfers") || !strcmp(a, "--bytes") ||
			    !strcmp(a, "--slots") || !strcmp(a, "--packets")) &&
			   val) {
			if (cli_parse_u64(val, &v)) {
				fprintf(stderr, "hlsim gen dma: %s '%s': expected a number\n", a,
					val);
				return 2;
			}
			if (!strcmp(a, "--cs"))
				o.num_cs = v;
			else if (!strcmp(a, "--bytes"))
				o.transfer_bytes = v;
			else if (!strcmp(a, "--packets"))
				o.min_packets = v;
			else if (v > UINT32_MAX)
				v = UINT32_MAX; /* rejected by the range check below */
			if (!strcmp(a, "--queues"))
				o.queues = (uint32_t)v;
			else if (!strcmp(a, "--transfers"))
				o.transfers = (uint32_t)v;
			else if (!strcmp(a, "--slots"))
				o.slots = (uint32_t)v;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			gen_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "hlsim gen dma: unknown or incomplete option '%s'\n", a);
			gen_usage(stderr);
			return 2;
		}
		i++;
	}
	if (!out) {
		fprintf(stderr, "hlsim gen dma: -o TRACE is required\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trc_gen_dma(&o, out, cmdline, &packets);
	if (rc)
		return cli_fail(rc, "gen");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("hlsim gen dma: wrote %s: %" PRIu64 " packets in %.3f s\n", out, packets,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}
