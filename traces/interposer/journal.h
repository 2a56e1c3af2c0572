/*
 * traces/interposer/journal.h - the append-only capture journal of `hlsim capture`.
 *
 * The capture layer of libhlsim_preload.so (capture.c) appends one self-delimiting,
 * checksummed record per intercepted call to a journal file; `hlsim capture` (or
 * `hlsim capture --finish`) turns the complete records into a trace v1. The byte layout is
 * documented in traces/interposer/README.md ("The journal"). All integers little-endian.
 *
 * The record builder (trc_jnl_buf) is used by the library; the reader (trc_jnl_finish,
 * trc_jnl_scan) by the hlsim command. Both are compiled into hlsim_traces.
 */
#ifndef HLSIM_TRC_JOURNAL_H
#define HLSIM_TRC_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"

#define TRC_JNL_MAGIC "HLSIMJNL" /* 8 bytes, no NUL in the file */
#define TRC_JNL_VERSION 2u
/*
 * The header: magic, u32 version, u32 crc32 of the first 12 bytes, u64 append offset (the
 * writers' shared reservation counter, advanced atomically through their mappings of the
 * file; not checksummed, readers ignore it), u64 0.
 */
#define TRC_JNL_HEADER_BYTES 32u
#define TRC_JNL_HEADER_FIXED_BYTES 16u /* the part of the header that never changes */
#define TRC_JNL_APPEND_AT 16u /* byte offset of the u64 append offset */
#define TRC_JNL_REC_HEAD_BYTES 8u /* u32 type, u32 payload bytes */
#define TRC_JNL_REC_TAIL_BYTES 4u /* u32 crc32 of type, length and payload */
#define TRC_JNL_MAX_PAYLOAD_BYTES (512u << 20) /* larger lengths are corruption */
#define TRC_JNL_NO_BLOB UINT32_MAX /* a job whose CB bytes were not host-visible */

/**
 * enum trc_jnl_type - record types (the u32 at the start of each record).
 * Unknown types with a good checksum are skipped by readers (newer writers).
 */
enum trc_jnl_type {
	TRC_JNL_DEVICE = 1, /* a device's identity, read at each open of one of its nodes */
	TRC_JNL_OPEN = 2, /* open of a device node */
	TRC_JNL_CLOSE = 3, /* close of a captured descriptor (or its alias) */
	TRC_JNL_MMAP = 4, /* mmap of a captured descriptor */
	TRC_JNL_MUNMAP = 5, /* munmap covering a recorded CB mapping */
	TRC_JNL_IOCTL = 6, /* any ioctl but CS and WAIT_CS: raw argument bytes in and out */
	TRC_JNL_CS = 7, /* HL_IOCTL_CS with its chunks, CB snapshots and memory images */
	TRC_JNL_WAIT = 8, /* HL_IOCTL_WAIT_CS */
	TRC_JNL_END = 9, /* the process ended normally (exit or return from main) */
};

/**
 * struct trc_jnl_buf - one record being built. Growable; @oom is set (and later puts are
 * dropped) if memory runs out, so callers check once at trc_jnl_end().
 */
struct trc_jnl_buf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

/**
 * trc_jnl_crc32 - CRC-32C (Castagnoli, reflected 0x82F63B78, as iSCSI) of @n bytes,
 * continuing @crc: the SSE4.2 crc32 instruction where the CPU has it, else tables.
 */
uint32_t trc_jnl_crc32(uint32_t crc, const void *p, size_t n);
/** trc_jnl_crc32_tables - the same by tables alone (the two must agree; for tests). */
uint32_t trc_jnl_crc32_tables(uint32_t crc, const void *p, size_t n);

/** trc_jnl_header - the header bytes of a new journal file (append offset: the header's end). */
void trc_jnl_header(uint8_t out[TRC_JNL_HEADER_BYTES]);

/** trc_jnl_begin - start a record of @type in @b (its length and checksum are filled later). */
void trc_jnl_begin(struct trc_jnl_buf *b, uint32_t type);
/** trc_jnl_reserve - room for @n more bytes: a pointer to them (appended), or NULL (oom). */
uint8_t *trc_jnl_reserve(struct trc_jnl_buf *b, size_t n);
/** trc_jnl_put_u32 / _u64 / _bytes - append a little-endian value, or @n raw bytes. */
void trc_jnl_put_u32(struct trc_jnl_buf *b, uint32_t v);
void trc_jnl_put_u64(struct trc_jnl_buf *b, uint64_t v);
void trc_jnl_put_bytes(struct trc_jnl_buf *b, const void *p, size_t n);
/** trc_jnl_patch_u32 / _u64 - overwrite the value at byte @off of the record. */
void trc_jnl_patch_u32(struct trc_jnl_buf *b, size_t off, uint32_t v);
void trc_jnl_patch_u64(struct trc_jnl_buf *b, size_t off, uint64_t v);
/**
 * trc_jnl_end - fill the record's length and append its checksum: 0, or -ENOMEM if a put
 * failed, -EFBIG if the payload exceeds TRC_JNL_MAX_PAYLOAD_BYTES.
 */
int trc_jnl_end(struct trc_jnl_buf *b);
/** trc_jnl_free - release @b's memory (it can be used again after). */
void trc_jnl_free(struct trc_jnl_buf *b);

/**
 * trc_jnl_cmd_of - the habanalabs command of ioctl request @req: 1 INFO, 2 CB, 3 CS,
 * 4 WAIT_CS, 5 MEMORY, 6 DEBUG, for misc ('H' 0x01..0x06) and accel ('d' 0x40..0x45)
 * numbers; 0 for any other request.
 */
unsigned int trc_jnl_cmd_of(unsigned long req);

/**
 * struct trc_jnl_stats - what a journal held.
 * @records: complete records read (all types).
 * @cs: CS records; @cs_ok: those that succeeded and carry CBs (the trace's CS rows).
 * @waits: WAIT_CS records; @waits_traced: those on CSs (the trace's rows; interrupt
 *         waits are journalled only); @ioctls: other ioctl records; @devices: trace devices.
 * @images: memory images written to the trace (after de-duplication).
 * @ended: an END record was seen (the program exited normally).
 * @kept_bytes: bytes of the header and complete records.
 * @dropped_bytes: bytes after them (a record cut short or failing its checksum, or a
 *                 record space reserved and never written that other data follows, and
 *                 everything after it).
 * @zero_tail_bytes: zero bytes after the complete records up to the end of the file:
 *                   journal space allocated ahead and not used (the writer was killed, or
 *                   did not truncate the file at its end). Neither kept nor dropped data.
 * @stop: why reading stopped ("end of file", "end of the records at byte ...: zero-filled
 *        tail", "record cut short at byte ...", "checksum mismatch in the record at byte
 *        ...", "record space at byte ... reserved but never written").
 */
struct trc_jnl_stats {
	uint64_t records, cs, cs_ok, waits, waits_traced, ioctls, devices, images;
	int ended;
	uint64_t kept_bytes, dropped_bytes, zero_tail_bytes;
	char stop[160];
};

/**
 * trc_jnl_finish - turn the complete records of @journal into trace v1 @trace (created or
 * truncated); @st (may be NULL) tells what was kept and dropped. A journal cut at any byte
 * gives a valid trace of its complete records, and so does one whose records are followed
 * by zero bytes (a record header of all zeros ends the data); a file that is not a
 * journal, another version of it, or a record
 * whose checksum holds but whose payload is malformed, is an error naming the byte offset.
 */
hlsim_err_t trc_jnl_finish(const char *journal, const char *trace, struct trc_jnl_stats *st);

/** trc_jnl_scan - as trc_jnl_finish without writing a trace (counts only). */
hlsim_err_t trc_jnl_scan(const char *journal, struct trc_jnl_stats *st);

#endif /* HLSIM_TRC_JOURNAL_H */
