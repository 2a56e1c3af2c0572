/*
 * traces/interposer/cosim.h - the messages between the virtual device and `hlsim cosim`.
 *
 * With `hlsim vdev --timing sim` (the default) the virtual device (vdev.c, through
 * vcosim.c) starts `hlsim cosim` (sim/cosim.c) beside the program and streams it what it
 * records into the trace, as it records it: every CS with its jobs, every new blob (CB
 * bytes), every memory image. At a WAIT_CS it sends a wait and reads the answer: the
 * simulator's completion times. Both ends are built from the same sources and run on the
 * same machine, so the records travel as their C structs (the hello message checks the
 * version and the struct sizes). One stream socket; every message is a struct
 * trc_cosim_head and then @bytes of payload; the only message answered is a wait.
 */
#ifndef HLSIM_TRC_COSIM_H
#define HLSIM_TRC_COSIM_H

#include <stdint.h>

#include "hlsim/trace.h"

#define TRC_COSIM_MAGIC 0x4f43534d494c5348ull /* "HLSIMSCO" little-endian */
#define TRC_COSIM_MAX_SEQS 32u /* seqs of one wait: HL_WAIT_MULTI_CS_LIST_MAX_LEN */
#define TRC_COSIM_MAX_JOBS 65536u /* jobs of one CS: a bound of this implementation */
#define TRC_COSIM_MAX_BLOB_BYTES (1ull << 30) /* one blob: a bound of this implementation */

/** enum trc_cosim_type - what a message carries. */
enum trc_cosim_type {
	TRC_COSIM_HELLO = 1, /* struct trc_cosim_hello; first, once */
	TRC_COSIM_BLOB = 2, /* u64 id, then the bytes: a blob new on its device */
	TRC_COSIM_MEM = 3, /* struct hlsim_trace_mem */
	TRC_COSIM_CS = 4, /* struct hlsim_trace_cs, then its num_jobs struct hlsim_trace_job */
	TRC_COSIM_WAIT = 5, /* struct trc_cosim_wait; answered by a struct trc_cosim_answer */
};

/** struct trc_cosim_head - the head of every message. */
struct trc_cosim_head {
	uint32_t type; /* enum trc_cosim_type */
	uint32_t dev; /* the device (minor) it concerns */
	uint64_t bytes; /* payload bytes that follow */
};

/** struct trc_cosim_hello - who speaks: both ends must agree on every field. */
struct trc_cosim_hello {
	uint64_t magic; /* TRC_COSIM_MAGIC */
	char version[32]; /* HLSIM_VERSION_STRING */
	uint32_t ndev;
	uint32_t cs_bytes, job_bytes, mem_bytes; /* sizeof of the record structs */
};

/**
 * struct trc_cosim_wait - a WAIT_CS the replay would make: the host waits for CS @seq,
 * then the answer gives the completion of each of @seqs (the CSs whose times the program
 * is told) if it has completed by then.
 */
struct trc_cosim_wait {
	uint64_t seq;
	uint32_t nseqs;
	uint32_t pad;
	uint64_t seqs[TRC_COSIM_MAX_SEQS];
};

/**
 * struct trc_cosim_answer - for each asked seq, its completion on the host's
 * CLOCK_MONOTONIC (the CS's submission time in the trace plus its simulated time from
 * submission to completion), or -1 if it has not completed in the simulation by the time
 * the host's wait ended (or is not known to it).
 */
struct trc_cosim_answer {
	uint64_t magic; /* TRC_COSIM_MAGIC */
	uint32_t n;
	uint32_t pad;
	uint64_t now_ps; /* the simulated time the host's wait ended */
	int64_t done_ns[TRC_COSIM_MAX_SEQS];
};

#endif /* HLSIM_TRC_COSIM_H */
