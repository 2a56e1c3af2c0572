/*
 * traces/trc_h5.c - HDF5 helpers shared by the trace and results files.
 *
 * The tables of both formats are declared here as data (field name = C struct field
 * name, kind, unit); the compound types, the `units` attributes and the type checks
 * of readers are all derived from these declarations, so the files, traces/FORMAT.md
 * and the C structs cannot drift apart silently. Files store packed little-endian
 * types (portable, no padding bytes); memory uses the native struct layout and HDF5
 * converts by field name, which is also what lets a reader ignore fields it does not
 * know (a later minor version may add some).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trc_h5.h"

/* {==== table declarations ==== */

#define TRC_F(st, f, t, u) { #f, offsetof(struct st, f), (t), 0, (u) }
#define TRC_FS(st, f, u) { #f, offsetof(struct st, f), TRC_STR, sizeof(((struct st *)0)->f), (u) }
#define TRC_DESC(var, dsname, st, flds, descr)                                             \
	const struct trc_table_desc var = { (dsname), sizeof(struct st), (flds),           \
					    sizeof(flds) / sizeof((flds)[0]), (descr) }

static const struct trc_field device_fields[] = {
	TRC_FS(hlsim_trace_device, asic, "decoder name: gaudi, gaudi2"),
	TRC_FS(hlsim_trace_device, card_name, NULL),
	TRC_FS(hlsim_trace_device, cpucp_version, NULL),
	TRC_F(hlsim_trace_device, sram_base_address, TRC_U64, "device address"),
	TRC_F(hlsim_trace_device, dram_base_address, TRC_U64, "device address"),
	TRC_F(hlsim_trace_device, dram_size, TRC_U64, "bytes"),
	TRC_F(hlsim_trace_device, dram_page_size, TRC_U64, "bytes"),
	TRC_F(hlsim_trace_device, device_mem_alloc_default_page_size, TRC_U64, "bytes"),
	TRC_F(hlsim_trace_device, tpc_enabled_mask_ext, TRC_U64, "bit mask"),
	TRC_F(hlsim_trace_device, sram_size, TRC_U32, "bytes"),
	TRC_F(hlsim_trace_device, num_of_events, TRC_U32, "count"),
	TRC_F(hlsim_trace_device, device_id, TRC_U32, "PCI device id"),
	TRC_F(hlsim_trace_device, module_id, TRC_U32, NULL),
	TRC_F(hlsim_trace_device, decoder_enabled_mask, TRC_U32, "bit mask"),
	TRC_F(hlsim_trace_device, cpld_version, TRC_U32, NULL),
	TRC_F(hlsim_trace_device, psoc_pci_pll_nr, TRC_U32, NULL),
	TRC_F(hlsim_trace_device, psoc_pci_pll_nf, TRC_U32, NULL),
	TRC_F(hlsim_trace_device, psoc_pci_pll_od, TRC_U32, NULL),
	TRC_F(hlsim_trace_device, psoc_pci_pll_div_factor, TRC_U32, NULL),
	TRC_F(hlsim_trace_device, edma_enabled_mask, TRC_U32, "bit mask"),
	TRC_F(hlsim_trace_device, first_available_interrupt_id, TRC_U16, NULL),
	TRC_F(hlsim_trace_device, server_type, TRC_U16, "enum hl_server_type"),
	TRC_F(hlsim_trace_device, number_of_user_interrupts, TRC_U16, "count"),
	TRC_F(hlsim_trace_device, tpc_enabled_mask, TRC_U8, "bit mask"),
	TRC_F(hlsim_trace_device, dram_enabled, TRC_U8, "boolean"),
	TRC_F(hlsim_trace_device, security_enabled, TRC_U8, "boolean"),
	TRC_F(hlsim_trace_device, mme_master_slave_mode, TRC_U8, "boolean"),
	TRC_F(hlsim_trace_device, cur_clk_rate_mhz, TRC_U32, "MHz"),
	TRC_F(hlsim_trace_device, max_clk_rate_mhz, TRC_U32, "MHz"),
	TRC_F(hlsim_trace_device, time_sync_device_time, TRC_U64, "PSOC timestamp counter ticks"),
	TRC_F(hlsim_trace_device, time_sync_host_time_ns, TRC_U64, "ns of CLOCK_MONOTONIC_RAW"),
	TRC_F(hlsim_trace_device, clock_monotonic_ns, TRC_I64, "ns of CLOCK_MONOTONIC"),
	TRC_F(hlsim_trace_device, clock_monotonic_raw_ns, TRC_I64, "ns of CLOCK_MONOTONIC_RAW"),
};
TRC_DESC(trc_desc_device, "identity", hlsim_trace_device, device_fields,
	 "device identity: HL_INFO_HW_IP_INFO, HL_INFO_CLK_RATE, HL_INFO_TIME_SYNC; one row");

static const struct trc_field cs_fields[] = {
	TRC_F(hlsim_trace_cs, seq, TRC_U64, "hl_cs_out.seq"),
	TRC_F(hlsim_trace_cs, flags, TRC_U32, "hl_cs_in.cs_flags bits"),
	TRC_F(hlsim_trace_cs, status, TRC_U32, "hl_cs_out.status"),
	TRC_F(hlsim_trace_cs, submit_ns, TRC_I64, "ns, host clock"),
	TRC_F(hlsim_trace_cs, return_ns, TRC_I64, "ns, host clock"),
	TRC_F(hlsim_trace_cs, first_job, TRC_U64, "row of jobs"),
	TRC_F(hlsim_trace_cs, num_jobs, TRC_U32, "rows of jobs"),
	TRC_F(hlsim_trace_cs, timeout_s, TRC_U32, "s"),
};
TRC_DESC(trc_desc_cs, "cs", hlsim_trace_cs, cs_fields,
	 "one row per HL_IOCTL_CS call, in submission order");

static const struct trc_field job_fields[] = {
	TRC_F(hlsim_trace_job, cs_index, TRC_U64, "row of cs"),
	TRC_F(hlsim_trace_job, cb_handle, TRC_U64, "CB handle or device address"),
	TRC_F(hlsim_trace_job, blob_id, TRC_U64, "row of blobs, 2^64-1 = none"),
	TRC_F(hlsim_trace_job, queue_id, TRC_U32, "enum gaudi_queue_id / gaudi2_queue_id"),
	TRC_F(hlsim_trace_job, cb_size, TRC_U32, "bytes"),
	TRC_F(hlsim_trace_job, chunk_flags, TRC_U32, "hl_cs_chunk.cs_chunk_flags bits"),
	TRC_F(hlsim_trace_job, phase, TRC_U8, "0 = restore, 1 = execute"),
};
TRC_DESC(trc_desc_job, "jobs", hlsim_trace_job, job_fields,
	 "one row per chunk of a CS; the jobs of CS row i are rows first_job..+num_jobs");

static const struct trc_field blob_fields[] = {
	TRC_F(trc_blob_row, offset, TRC_U64, "byte offset in cb_bytes"),
	TRC_F(trc_blob_row, size, TRC_U64, "bytes"),
	TRC_F(trc_blob_row, hash, TRC_U64, "hlsim hash64 of the bytes (FORMAT.md)"),
};
TRC_DESC(trc_desc_blob, "blobs", trc_blob_row, blob_fields,
	 "deduplicated CB contents; row index = blob id");

static const struct trc_field mem_fields[] = {
	TRC_F(hlsim_trace_mem, addr, TRC_U64, "device address"),
	TRC_F(hlsim_trace_mem, blob_id, TRC_U64, "row of blobs"),
	TRC_F(hlsim_trace_mem, size, TRC_U64, "bytes"),
	TRC_F(hlsim_trace_mem, from_cs, TRC_U64, "row of cs"),
};
TRC_DESC(trc_desc_mem, "mem", hlsim_trace_mem, mem_fields,
	 "device memory images (device-resident CBs), valid for cs rows >= from_cs");

static const struct trc_field host_map_fields[] = {
	TRC_F(hlsim_trace_host_map, device_va, TRC_U64, "device virtual address"),
	TRC_F(hlsim_trace_host_map, host_va, TRC_U64, "host virtual address"),
	TRC_F(hlsim_trace_host_map, size, TRC_U64, "bytes"),
	TRC_F(hlsim_trace_host_map, map_ns, TRC_I64, "ns, host clock"),
	TRC_F(hlsim_trace_host_map, unmap_ns, TRC_I64, "ns, host clock, 2^63-1 = still mapped"),
};
TRC_DESC(trc_desc_host_map, "host_maps", hlsim_trace_host_map, host_map_fields,
	 "HL_MEM_OP_MAP of host memory (HL_MEM_USERPTR)");

static const struct trc_field wait_fields[] = {
	TRC_F(hlsim_trace_wait, seq, TRC_U64, "CS seq waited on"),
	TRC_F(hlsim_trace_wait, timeout_us, TRC_U64, "us"),
	TRC_F(hlsim_trace_wait, enter_ns, TRC_I64, "ns, host clock"),
	TRC_F(hlsim_trace_wait, exit_ns, TRC_I64, "ns, host clock"),
	TRC_F(hlsim_trace_wait, timestamp_ns, TRC_I64, "ns of CLOCK_MONOTONIC"),
	TRC_F(hlsim_trace_wait, status, TRC_U32, "hl_wait_cs_out.status"),
	TRC_F(hlsim_trace_wait, flags, TRC_U32, "hl_wait_cs_in.flags bits"),
	TRC_F(hlsim_trace_wait, out_flags, TRC_U32, "hl_wait_cs_out.flags bits"),
	TRC_F(hlsim_trace_wait, cs_completion_map, TRC_U32, "bit mask"),
	TRC_F(hlsim_trace_wait, rc, TRC_I32, "0 or -errno"),
};
TRC_DESC(trc_desc_wait, "waits", hlsim_trace_wait, wait_fields, "one row per HL_IOCTL_WAIT_CS");

static const struct trc_field annotation_fields[] = {
	TRC_F(hlsim_trace_annotation, cs_seq, TRC_U64, "CS seq"),
	TRC_F(hlsim_trace_annotation, queue_id, TRC_U32, "queue id, 2^32-1 = whole CS"),
	TRC_FS(hlsim_trace_annotation, key, NULL),
	TRC_FS(hlsim_trace_annotation, value, NULL),
};
TRC_DESC(trc_desc_annotation, "annotations", hlsim_trace_annotation, annotation_fields,
	 "free-form key/value pairs attached to a CS and queue");

static const struct trc_field unit_fields[] = {
	TRC_F(hlsim_unit, id, TRC_U32, "row of units"),
	TRC_F(hlsim_unit, device, TRC_U32, "device index"),
	TRC_F(hlsim_unit, kind, TRC_U8, "0 queue, 1 lower CP, 2 engine, 3 host"),
	TRC_FS(hlsim_unit, name, NULL),
	TRC_FS(hlsim_unit, engine_class, NULL),
};
TRC_DESC(trc_desc_unit, "units", hlsim_unit, unit_fields,
	 "the simulated units (queues, CPs, engines, host); timeline rows refer to them");

static const struct trc_field rec_fields[] = {
	TRC_F(hlsim_rec, start_ps, TRC_U64, "ps of simulated time"),
	TRC_F(hlsim_rec, end_ps, TRC_U64, "ps of simulated time"),
	TRC_F(hlsim_rec, bytes, TRC_U64, "bytes"),
	TRC_F(hlsim_rec, cs_seq, TRC_U64, "CS seq"),
	TRC_F(hlsim_rec, flops, TRC_U64, "arithmetic operations (LAUNCH)"),
	TRC_F(hlsim_rec, unit, TRC_U32, "row of units"),
	TRC_F(hlsim_rec, job, TRC_U32, "job index within the CS"),
	TRC_F(hlsim_rec, pkt_offset, TRC_U32, "byte offset in the CB"),
	TRC_F(hlsim_rec, kind, TRC_U16, "enum hlsim_rec_kind"),
	TRC_F(hlsim_rec, aux, TRC_U16, "kind-specific"),
};
TRC_DESC(trc_desc_rec, "timeline", hlsim_rec, rec_fields, "timeline records of the run");

static const struct trc_field release_fields[] = {
	TRC_F(hlsim_release, wait_row, TRC_U64, "timeline row of the FENCE_WAIT"),
	TRC_F(hlsim_release, signal_ps, TRC_U64, "ps of simulated time"),
	TRC_F(hlsim_release, producer_row, TRC_U64, "timeline row, or 2^64-1 (a CP's message)"),
	TRC_F(hlsim_release, producer_unit, TRC_U32, "row of units"),
	TRC_F(hlsim_release, sob, TRC_U32, "block << 16 | index, or 2^32-1 (no SOB)"),
};
TRC_DESC(trc_desc_release, "releases", hlsim_release, release_fields,
	 "what released each FENCE wait (results 1.1)");

static const struct trc_field launch_traffic_fields[] = {
	TRC_F(hlsim_launch_traffic, row, TRC_U64, "timeline row of the LAUNCH"),
	TRC_F(hlsim_launch_traffic, hbm_bytes, TRC_U64, "bytes"),
	TRC_F(hlsim_launch_traffic, sram_bytes, TRC_U64, "bytes"),
	TRC_F(hlsim_launch_traffic, host_read_bytes, TRC_U64, "bytes"),
	TRC_F(hlsim_launch_traffic, host_write_bytes, TRC_U64, "bytes"),
	TRC_F(hlsim_launch_traffic, compute_ps, TRC_U64, "ps of compute alone"),
};
static const struct trc_field starved_fields[] = {
	TRC_F(hlsim_starved, unit, TRC_U32, "row of units (an engine)"),
	TRC_F(hlsim_starved, cb_fetch_ps, TRC_U64, "ps idle while a CP fetched a CB"),
	TRC_F(hlsim_starved, cp_packets_ps, TRC_U64, "ps idle while a CP executed packets"),
};
TRC_DESC(trc_desc_starved, "starved", hlsim_starved, starved_fields,
	 "engines starved by their command processors, whole run (results 1.2)");

TRC_DESC(trc_desc_launch_traffic, "launch_traffic", hlsim_launch_traffic,
	 launch_traffic_fields, "bytes of each LAUNCH per memory (results 1.1)");

static const struct trc_field counters_fields[] = {
	TRC_F(hlsim_counters, unit, TRC_U32, "row of units"),
	TRC_F(hlsim_counters, busy_ps, TRC_U64, "ps"),
	TRC_F(hlsim_counters, fence_wait_ps, TRC_U64, "ps"),
	TRC_F(hlsim_counters, barrier_wait_ps, TRC_U64, "ps"),
	TRC_F(hlsim_counters, bytes, TRC_U64, "bytes"),
	TRC_F(hlsim_counters, packets, TRC_U64, "count"),
	TRC_F(hlsim_counters, jobs, TRC_U64, "count"),
};
TRC_DESC(trc_desc_counters, "counters", hlsim_counters, counters_fields, "per-unit totals");

static const struct trc_field run_info_fields[] = {
	TRC_FS(hlsim_run_info, hlsim_version, NULL),
	TRC_FS(hlsim_run_info, trace_path, NULL),
	TRC_FS(hlsim_run_info, config_name, NULL),
	TRC_F(hlsim_run_info, simulated_time_ps, TRC_U64, "ps"),
	TRC_F(hlsim_run_info, wall_s, TRC_F64, "s of wall-clock time"),
	TRC_F(hlsim_run_info, packets, TRC_U64, "count"),
	TRC_F(hlsim_run_info, activities, TRC_U64, "count"),
	TRC_F(hlsim_run_info, cs_count, TRC_U64, "count"),
	TRC_F(hlsim_run_info, job_count, TRC_U64, "count"),
	TRC_F(hlsim_run_info, peak_rss_bytes, TRC_U64, "bytes"),
};
TRC_DESC(trc_desc_run_info, "run_info", hlsim_run_info, run_info_fields,
	 "one row describing the run");

/* {==== errors ==== */

void trc_h5_quiet(void)
{
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

/* Keep the innermost (most specific) HDF5 message: n == 0 when walking upward. */
static herr_t innermost_cb(unsigned int n, const H5E_error2_t *e, void *data)
{
	char *buf = data;

	if (n == 0 && e->desc)
		snprintf(buf, 256, "%s", e->desc);
	return 0;
}

hlsim_err_t trc_h5_fail(hlsim_err_t rc, const char *fmt, ...)
{
	char msg[768], h5[256] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_cb, h5);
	H5Eclear2(H5E_DEFAULT);
	if (h5[0])
		return hlsim_error(rc, "%s (HDF5: %s)", msg, h5);
	return hlsim_error(rc, "%s", msg);
}

/* {==== types ==== */

static hid_t native_type(enum trc_ftype t)
{
	switch (t) {
	case TRC_U8:
		return H5T_NATIVE_UINT8;
	case TRC_U16:
		return H5T_NATIVE_UINT16;
	case TRC_U32:
		return H5T_NATIVE_UINT32;
	case TRC_U64:
		return H5T_NATIVE_UINT64;
	case TRC_I32:
		return H5T_NATIVE_INT32;
	case TRC_I64:
		return H5T_NATIVE_INT64;
	case TRC_F64:
		return H5T_NATIVE_DOUBLE;
	case TRC_STR:
		break;
	}
	return -1;
}

static hid_t le_type(enum trc_ftype t)
{
	switch (t) {
	case TRC_U8:
		return H5T_STD_U8LE;
	case TRC_U16:
		return H5T_STD_U16LE;
	case TRC_U32:
		return H5T_STD_U32LE;
	case TRC_U64:
		return H5T_STD_U64LE;
	case TRC_I32:
		return H5T_STD_I32LE;
	case TRC_I64:
		return H5T_STD_I64LE;
	case TRC_F64:
		return H5T_IEEE_F64LE;
	case TRC_STR:
		break;
	}
	return -1;
}

static hid_t str_type(size_t len)
{
	hid_t t = H5Tcopy(H5T_C_S1);

	if (t < 0)
		return -1;
	if (H5Tset_size(t, len) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0) {
		H5Tclose(t);
		return -1;
	}
	return t;
}

static size_t field_file_bytes(const struct trc_field *f)
{
	switch (f->type) {
	case TRC_U8:
		return 1;
	case TRC_U16:
		return 2;
	case TRC_U32:
	case TRC_I32:
		return 4;
	case TRC_U64:
	case TRC_I64:
	case TRC_F64:
		return 8;
	case TRC_STR:
		break;
	}
	return f->len;
}

/* Build the compound type of @d: native layout (@packed = 0) or packed LE. */
static hid_t build_type(const struct trc_table_desc *d, int packed)
{
	size_t i, size = 0, off = 0;
	hid_t t, ft;
	herr_t st;

	if (packed) {
		for (i = 0; i < d->num_fields; i++)
			size += field_file_bytes(&d->fields[i]);
	} else {
		size = d->row_bytes;
	}
	t = H5Tcreate(H5T_COMPOUND, size);
	if (t < 0)
		return -1;
	for (i = 0; i < d->num_fields; i++) {
		const struct trc_field *f = &d->fields[i];

		if (f->type == TRC_STR) {
			ft = str_type(f->len);
			if (ft < 0)
				goto err_close;
			st = H5Tinsert(t, f->name, packed ? off : f->offset, ft);
			H5Tclose(ft);
		} else {
			ft = packed ? le_type(f->type) : native_type(f->type);
			st = H5Tinsert(t, f->name, packed ? off : f->offset, ft);
		}
		if (st < 0)
			goto err_close;
		off += field_file_bytes(f);
	}
	return t;

err_close:
	H5Tclose(t);
	return -1;
}

hid_t trc_h5_mem_type(const struct trc_table_desc *d)
{
	return build_type(d, 0);
}

hid_t trc_h5_file_type(const struct trc_table_desc *d)
{
	return build_type(d, 1);
}

static const char *class_name(H5T_class_t c)
{
	switch (c) {
	case H5T_INTEGER:
		return "integer";
	case H5T_FLOAT:
		return "float";
	case H5T_STRING:
		return "string";
	case H5T_COMPOUND:
		return "compound";
	case H5T_ENUM:
		return "enum";
	case H5T_ARRAY:
		return "array";
	case H5T_VLEN:
		return "variable-length";
	case H5T_TIME:
	case H5T_BITFIELD:
	case H5T_OPAQUE:
	case H5T_REFERENCE:
	case H5T_NO_CLASS:
	case H5T_NCLASSES:
		break;
	}
	return "other";
}

/* Check one member of compound @ft against field @f. */
static hlsim_err_t check_member(hid_t ft, const struct trc_field *f, const char *path,
				const char *obj)
{
	H5T_class_t want, got;
	hlsim_err_t rc = HLSIM_OK;
	int idx;
	hid_t mt;

	idx = H5Tget_member_index(ft, f->name);
	if (idx < 0) {
		H5Eclear2(H5E_DEFAULT);
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s: type lacks field '%s'", path, obj,
				   f->name);
	}
	want = f->type == TRC_STR ? H5T_STRING : f->type == TRC_F64 ? H5T_FLOAT : H5T_INTEGER;
	got = H5Tget_member_class(ft, (unsigned int)idx);
	if (got != want)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s: field '%s' is %s, expected %s",
				   path, obj, f->name, class_name(got), class_name(want));
	if (want != H5T_STRING)
		return HLSIM_OK;
	mt = H5Tget_member_type(ft, (unsigned int)idx);
	if (mt < 0)
		return trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: field '%s'", path, obj, f->name);
	if (H5Tis_variable_str(mt) > 0)
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: %s: field '%s' is a variable-length string, expected a "
				 "fixed-length string",
				 path, obj, f->name);
	H5Tclose(mt);
	return rc;
}

hlsim_err_t trc_h5_check_table(hid_t dset, const struct trc_table_desc *d, const char *path,
			       const char *obj, uint64_t *nrows)
{
	hlsim_err_t rc = HLSIM_OK;
	hsize_t dims[H5S_MAX_RANK];
	hid_t space, ft;
	size_t i;
	int rank;

	space = H5Dget_space(dset);
	if (space < 0)
		return trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: no dataspace", path, obj);
	rank = H5Sget_simple_extent_ndims(space);
	if (rank != 1) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s: rank %d, expected a 1-D table",
				 path, obj, rank);
		goto out_space;
	}
	H5Sget_simple_extent_dims(space, dims, NULL);
	*nrows = dims[0];
	ft = H5Dget_type(dset);
	if (ft < 0) {
		rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: no datatype", path, obj);
		goto out_space;
	}
	if (H5Tget_class(ft) != H5T_COMPOUND) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s: %s type, expected a compound table",
				 path, obj, class_name(H5Tget_class(ft)));
		goto out_type;
	}
	for (i = 0; i < d->num_fields && rc == HLSIM_OK; i++)
		rc = check_member(ft, &d->fields[i], path, obj);
out_type:
	H5Tclose(ft);
out_space:
	H5Sclose(space);
	return rc;
}

/* Fail a conversion on a value out of the destination's range instead of clamping. */
static H5T_conv_ret_t conv_except(H5T_conv_except_t type, hid_t src, hid_t dst, void *src_buf,
				  void *dst_buf, void *data)
{
	if (type == H5T_CONV_EXCEPT_RANGE_HI || type == H5T_CONV_EXCEPT_RANGE_LOW)
		return H5T_CONV_ABORT;
	return H5T_CONV_UNHANDLED;
}

hid_t trc_h5_dxpl(void)
{
	hid_t p = H5Pcreate(H5P_DATASET_XFER);

	if (p < 0)
		return -1;
	if (H5Pset_type_conv_cb(p, conv_except, NULL) < 0) {
		H5Pclose(p);
		return -1;
	}
	return p;
}

void trc_h5_sanitize_strings(const struct trc_table_desc *d, void *row)
{
	size_t i, n;

	for (i = 0; i < d->num_fields; i++) {
		const struct trc_field *f = &d->fields[i];
		char *s;

		if (f->type != TRC_STR)
			continue;
		s = (char *)row + f->offset;
		s[f->len - 1] = '\0';
		n = strlen(s);
		memset(s + n, 0, f->len - n);
	}
}

hlsim_err_t trc_h5_check_strings(const struct trc_table_desc *d, const void *row,
				 const char *what)
{
	size_t i;

	for (i = 0; i < d->num_fields; i++) {
		const struct trc_field *f = &d->fields[i];

		if (f->type == TRC_STR && !memchr((const char *)row + f->offset, 0, f->len))
			return hlsim_error(HLSIM_E_INVAL,
					   "%s: field '%s' is not NUL-terminated within its %u "
					   "bytes",
					   what, f->name, f->len);
	}
	return HLSIM_OK;
}

/* {==== datasets and attributes ==== */

hid_t trc_h5_new_dcpl(void)
{
	hid_t p = H5Pcreate(H5P_DATASET_CREATE);

	if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) {
		H5Pclose(p);
		return -1;
	}
	return p;
}

hid_t trc_h5_new_gcpl(void)
{
	hid_t p = H5Pcreate(H5P_GROUP_CREATE);

	if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) {
		H5Pclose(p);
		return -1;
	}
	return p;
}

hlsim_err_t trc_h5_attr_write_str(hid_t loc, const char *name, const char *value)
{
	hlsim_err_t rc = HLSIM_OK;
	hid_t t, space = -1, a = -1;

	/* HDF5 clears its error stack on every API call: report before cleaning up */
	t = str_type(strlen(value) + 1);
	if (t >= 0)
		space = H5Screate(H5S_SCALAR);
	if (space >= 0)
		a = H5Acreate2(loc, name, t, space, H5P_DEFAULT, H5P_DEFAULT);
	if (a < 0 || H5Awrite(a, t, value) < 0)
		rc = trc_h5_fail(HLSIM_E_IO, "cannot write attribute '%s'", name);
	if (a >= 0 && H5Aclose(a) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "cannot write attribute '%s'", name);
	if (space >= 0)
		H5Sclose(space);
	if (t >= 0)
		H5Tclose(t);
	return rc;
}

hlsim_err_t trc_h5_attr_write_u32(hid_t loc, const char *name, uint32_t value)
{
	hlsim_err_t rc = HLSIM_OK;
	hid_t space, a = -1;

	space = H5Screate(H5S_SCALAR);
	if (space >= 0)
		a = H5Acreate2(loc, name, H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT);
	if (a < 0 || H5Awrite(a, H5T_NATIVE_UINT32, &value) < 0)
		rc = trc_h5_fail(HLSIM_E_IO, "cannot write attribute '%s'", name);
	if (a >= 0 && H5Aclose(a) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "cannot write attribute '%s'", name);
	if (space >= 0)
		H5Sclose(space);
	return rc;
}

/* Open attribute @name of @loc; checks that it exists and holds one element. */
static hlsim_err_t attr_open(hid_t loc, const char *name, hid_t *out, const char *path,
			     const char *obj)
{
	hssize_t npoints;
	hid_t a, space;

	if (H5Aexists(loc, name) <= 0) {
		H5Eclear2(H5E_DEFAULT);
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s has no attribute '%s'", path, obj,
				   name);
	}
	a = H5Aopen(loc, name, H5P_DEFAULT);
	if (a < 0)
		return trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: cannot open attribute '%s'",
				   path, obj, name);
	space = H5Aget_space(a);
	npoints = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
	if (space >= 0)
		H5Sclose(space);
	if (npoints != 1) {
		H5Aclose(a);
		H5Eclear2(H5E_DEFAULT);
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: %s: attribute '%s' holds %lld values, expected 1", path,
				   obj, name, (long long)npoints);
	}
	*out = a;
	return HLSIM_OK;
}

hlsim_err_t trc_h5_attr_read_str(hid_t loc, const char *name, char *buf, size_t cap,
				 const char *path, const char *obj)
{
	hlsim_err_t rc;
	hid_t a, ft, mt = -1;
	char *tmp = NULL;
	size_t size;

	rc = attr_open(loc, name, &a, path, obj);
	if (rc != HLSIM_OK)
		return rc;
	ft = H5Aget_type(a);
	if (ft < 0) {
		rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: attribute '%s'", path, obj, name);
		goto out_attr;
	}
	if (H5Tget_class(ft) != H5T_STRING) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: %s: attribute '%s' is %s, expected a string", path, obj, name,
				 class_name(H5Tget_class(ft)));
		goto out_type;
	}
	mt = H5Tcopy(H5T_C_S1);
	if (mt < 0) {
		rc = trc_h5_fail(HLSIM_E_NOMEM, "%s: %s: attribute '%s'", path, obj, name);
		goto out_type;
	}
	if (H5Tis_variable_str(ft) > 0) {
		if (H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Aread(a, mt, &tmp) < 0 || !tmp) {
			rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: cannot read attribute '%s'",
					 path, obj, name);
			goto out_mt;
		}
		snprintf(buf, cap, "%s", tmp);
		H5free_memory(tmp);
		goto out_mt;
	}
	size = H5Tget_size(ft);
	tmp = calloc(1, size + 1);
	if (!tmp) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: %s: attribute '%s' of %zu bytes", path, obj,
				 name, size);
		goto out_mt;
	}
	if (H5Tset_size(mt, size + 1) < 0 || H5Aread(a, mt, tmp) < 0) {
		rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: cannot read attribute '%s'", path,
				 obj, name);
		goto out_tmp;
	}
	snprintf(buf, cap, "%s", tmp);
out_tmp:
	free(tmp);
out_mt:
	H5Tclose(mt);
out_type:
	H5Tclose(ft);
out_attr:
	H5Aclose(a);
	return rc;
}

hlsim_err_t trc_h5_attr_read_u32(hid_t loc, const char *name, uint32_t *out, const char *path,
				 const char *obj)
{
	hlsim_err_t rc;
	hid_t a, ft;
	int64_t v = 0;
	uint64_t u = 0;
	int is_signed;

	rc = attr_open(loc, name, &a, path, obj);
	if (rc != HLSIM_OK)
		return rc;
	ft = H5Aget_type(a);
	if (ft < 0 || H5Tget_class(ft) != H5T_INTEGER) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s: attribute '%s' is not an integer",
				 path, obj, name);
		goto out;
	}
	/* read into a 64-bit integer of the same signedness, then range-check */
	is_signed = H5Tget_sign(ft) == H5T_SGN_2;
	if (H5Aread(a, is_signed ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64,
		    is_signed ? (void *)&v : (void *)&u) < 0) {
		rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: cannot read attribute '%s'", path,
				 obj, name);
		goto out;
	}
	if (is_signed) {
		if (v < 0) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
					 "%s: %s: attribute '%s' is %" PRId64 ", expected >= 0",
					 path, obj, name, v);
			goto out;
		}
		u = (uint64_t)v;
	}
	if (u > UINT32_MAX) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: %s: attribute '%s' is %" PRIu64 ", too large for 32 bits",
				 path, obj, name, u);
		goto out;
	}
	*out = (uint32_t)u;
out:
	if (ft >= 0)
		H5Tclose(ft);
	H5Aclose(a);
	return rc;
}

/*
 * Chunking and filters of every growing dataset: shuffle + gzip, then a Fletcher-32
 * checksum of each stored chunk, so a damaged chunk fails to read (an error) instead of
 * decompressing into wrong rows.
 */
static herr_t set_filters(hid_t dcpl, hsize_t chunk)
{
	if (H5Pset_chunk(dcpl, 1, &chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
	    H5Pset_deflate(dcpl, TRC_GZIP_LEVEL) < 0 || H5Pset_fletcher32(dcpl) < 0)
		return -1;
	return 0;
}

hlsim_err_t trc_h5_create_file(const char *path, hid_t *out)
{
	hid_t fapl, fcpl, file = -1;

	trc_h5_quiet();
	/*
	 * The HDF5 1.8 file format: object headers and the superblock carry checksums
	 * (the 1.6-era default has none), and every HDF5 library since 1.8 reads it.
	 * The root group gets no timestamps either (same input, same bytes).
	 */
	fapl = H5Pcreate(H5P_FILE_ACCESS);
	fcpl = H5Pcreate(H5P_FILE_CREATE);
	if (fapl >= 0 && fcpl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0 &&
	    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0)
		file = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
	if (file < 0)
		trc_h5_fail(HLSIM_E_IO, "%s: cannot create the file", path);
	if (fcpl >= 0)
		H5Pclose(fcpl);
	if (fapl >= 0)
		H5Pclose(fapl);
	if (file < 0)
		return HLSIM_E_IO;
	*out = file;
	return HLSIM_OK;
}

/* Write `units` ("field: unit; ...") and `description` attributes of table @d. */
static hlsim_err_t write_table_attrs(hid_t dset, const struct trc_table_desc *d)
{
	char units[2048];
	size_t i, len = 0;
	hlsim_err_t rc;

	units[0] = '\0';
	for (i = 0; i < d->num_fields; i++) {
		const struct trc_field *f = &d->fields[i];
		int n;

		if (!f->unit)
			continue;
		n = snprintf(units + len, sizeof(units) - len, "%s%s: %s", len ? "; " : "",
			     f->name, f->unit);
		if (n < 0 || (size_t)n >= sizeof(units) - len)
			break; /* the declarations are short; cannot happen */
		len += (size_t)n;
	}
	rc = trc_h5_attr_write_str(dset, "units", units);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_str(dset, "description", d->description);
	return rc;
}

hid_t trc_h5_create_table(hid_t loc, const struct trc_table_desc *d, hsize_t chunk_rows,
			  const char *path, const char *obj)
{
	hsize_t dims = 0, maxdims = H5S_UNLIMITED;
	hid_t space = -1, dcpl = -1, ft = -1, dset = -1;

	space = H5Screate_simple(1, &dims, &maxdims);
	dcpl = trc_h5_new_dcpl();
	ft = trc_h5_file_type(d);
	if (space < 0 || dcpl < 0 || ft < 0 || set_filters(dcpl, chunk_rows) < 0)
		goto err;
	dset = H5Dcreate2(loc, d->name, ft, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	if (dset < 0)
		goto err;
	if (write_table_attrs(dset, d) != HLSIM_OK) {
		H5Dclose(dset);
		dset = -1;
		hlsim_error_prefix(HLSIM_E_IO, "%s: %s: ", path, obj);
		goto out;
	}
	goto out;
err:
	trc_h5_fail(HLSIM_E_IO, "%s: cannot create dataset %s", path, obj);
out:
	if (ft >= 0)
		H5Tclose(ft);
	if (dcpl >= 0)
		H5Pclose(dcpl);
	if (space >= 0)
		H5Sclose(space);
	return dset;
}

hlsim_err_t trc_h5_write_rows_once(hid_t loc, const struct trc_table_desc *d, const void *rows,
				   size_t n, const char *path, const char *obj)
{
	hsize_t dims = n;
	hid_t space = -1, dcpl = -1, ft = -1, mt = -1, dset = -1;
	hlsim_err_t rc = HLSIM_OK;

	space = H5Screate_simple(1, &dims, NULL);
	dcpl = trc_h5_new_dcpl();
	ft = trc_h5_file_type(d);
	mt = trc_h5_mem_type(d);
	if (space < 0 || dcpl < 0 || ft < 0 || mt < 0)
		goto err;
	dset = H5Dcreate2(loc, d->name, ft, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	if (dset < 0)
		goto err;
	if (n && H5Dwrite(dset, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
		goto err;
	rc = write_table_attrs(dset, d);
	if (rc != HLSIM_OK)
		hlsim_error_prefix(rc, "%s: %s: ", path, obj);
	goto out;
err:
	rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot write dataset %s", path, obj);
out:
	if (dset >= 0 && H5Dclose(dset) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot write dataset %s", path, obj);
	if (mt >= 0)
		H5Tclose(mt);
	if (ft >= 0)
		H5Tclose(ft);
	if (dcpl >= 0)
		H5Pclose(dcpl);
	if (space >= 0)
		H5Sclose(space);
	return rc;
}

hid_t trc_h5_open_dataset(hid_t loc, const char *name, unsigned int cache_chunks,
			  const char *path, const char *obj)
{
	hsize_t chunk[H5S_MAX_RANK];
	size_t chunk_bytes, want;
	hid_t dset, dcpl, ft, dapl;
	int rank, i;

	if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) {
		H5Eclear2(H5E_DEFAULT);
		hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: missing dataset %s", path, obj);
		return -1;
	}
	dset = H5Dopen2(loc, name, H5P_DEFAULT);
	if (dset < 0) {
		trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s is not a readable dataset", path, obj);
		return -1;
	}
	dcpl = H5Dget_create_plist(dset);
	if (dcpl < 0 || H5Pget_layout(dcpl) != H5D_CHUNKED) {
		if (dcpl >= 0)
			H5Pclose(dcpl);
		H5Eclear2(H5E_DEFAULT);
		return dset;
	}
	/* size the chunk cache so @cache_chunks decompressed chunks stay resident */
	rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, chunk);
	H5Pclose(dcpl);
	ft = H5Dget_type(dset);
	chunk_bytes = ft >= 0 ? H5Tget_size(ft) : 0;
	if (ft >= 0)
		H5Tclose(ft);
	for (i = 0; i < rank; i++)
		chunk_bytes *= chunk[i];
	want = chunk_bytes * cache_chunks;
	/* 0 chunks: no cache at all (a small table read once into a window: a run of a
	 * thousand devices must not keep a decompressed chunk of each of their tables) */
	if (rank <= 0 || (cache_chunks && want <= (size_t)1 << 20))
		return dset;
	if (want > (size_t)64 << 20)
		want = (size_t)64 << 20;
	dapl = H5Pcreate(H5P_DATASET_ACCESS);
	if (dapl < 0 || H5Pset_chunk_cache(dapl, want ? 1021 : 1, want, 1.0) < 0) {
		if (dapl >= 0)
			H5Pclose(dapl);
		H5Eclear2(H5E_DEFAULT);
		return dset;
	}
	H5Dclose(dset);
	dset = H5Dopen2(loc, name, dapl);
	if (dset < 0)
		trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s is not a readable dataset", path, obj);
	H5Pclose(dapl);
	return dset;
}

hlsim_err_t trc_h5_read_rows(hid_t dset, hid_t mtype, hid_t dxpl, uint64_t first, size_t n,
			     void *out, const char *path, const char *obj)
{
	hsize_t start = first, count = n;
	hlsim_err_t rc = HLSIM_OK;
	hid_t fspace, mspace;

	if (n == 0)
		return HLSIM_OK;
	fspace = H5Dget_space(dset);
	if (fspace < 0)
		return trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: %s: no dataspace", path, obj);
	mspace = H5Screate_simple(1, &count, NULL);
	if (mspace < 0 ||
	    H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
	    H5Dread(dset, mtype, mspace, fspace, dxpl, out) < 0)
		rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT,
				 "%s: %s: cannot read rows %" PRIu64 "..%" PRIu64, path, obj,
				 first, first + n - 1);
	if (mspace >= 0)
		H5Sclose(mspace);
	H5Sclose(fspace);
	return rc;
}

hlsim_err_t trc_h5_open_file(const char *path, hid_t *out)
{
	hid_t fapl, file;
	htri_t is;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot open: %s", path, strerror(errno));
	fclose(f);
	trc_h5_quiet();
	is = H5Fis_hdf5(path);
	if (is <= 0) {
		H5Eclear2(H5E_DEFAULT);
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: not an HDF5 file (no HDF5 signature)",
				   path);
	}
	fapl = H5Pcreate(H5P_FILE_ACCESS);
	if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
		if (fapl >= 0)
			H5Pclose(fapl);
		return trc_h5_fail(HLSIM_E_NOMEM, "%s: cannot set up file access", path);
	}
	file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
	if (file < 0) {
		/* report first: the next HDF5 call clears HDF5's error stack */
		trc_h5_fail(HLSIM_E_TRACE_FORMAT,
			    "%s: HDF5 cannot open it (truncated or corrupt file)", path);
		H5Pclose(fapl);
		return HLSIM_E_TRACE_FORMAT;
	}
	H5Pclose(fapl);
	*out = file;
	return HLSIM_OK;
}

hlsim_err_t trc_h5_check_root(hid_t file, const char *path, const char *format, uint32_t major,
			      uint32_t *minor)
{
	char got[64];
	hlsim_err_t rc;
	uint32_t maj;

	rc = trc_h5_attr_read_str(file, "format", got, sizeof(got), path, "/");
	if (rc != HLSIM_OK)
		return rc;
	if (strcmp(got, format))
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: / attribute format is '%s', expected '%s'", path, got,
				   format);
	rc = trc_h5_attr_read_u32(file, "version_major", &maj, path, "/");
	if (rc != HLSIM_OK)
		return rc;
	rc = trc_h5_attr_read_u32(file, "version_minor", minor, path, "/");
	if (rc != HLSIM_OK)
		return rc;
	if (maj != major)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: %s version %u.%u; this reader reads version %u.x only",
				   path, format, maj, *minor, major);
	return HLSIM_OK;
}

/* {==== appender ==== */

hlsim_err_t trc_app_create(struct trc_appender *a, hid_t loc, const struct trc_table_desc *d,
			   size_t chunk_rows, const char *path, const char *obj)
{
	memset(a, 0, sizeof(*a));
	a->dset = -1;
	a->mtype = -1;
	a->path = path;
	snprintf(a->obj, sizeof(a->obj), "%s", obj);
	a->row_bytes = d->row_bytes;
	a->cap_rows = chunk_rows;
	a->mtype = trc_h5_mem_type(d);
	if (a->mtype < 0)
		return trc_h5_fail(HLSIM_E_NOMEM, "%s: %s: cannot build its type", path, obj);
	a->mtype_owned = 1;
	a->loc = loc;
	a->desc = d;
	return HLSIM_OK;
}

/* Create a table's dataset, with chunks of @chunk_rows rows, if not done yet. */
static hlsim_err_t app_ensure(struct trc_appender *a, size_t chunk_rows)
{
	if (a->dset >= 0)
		return HLSIM_OK;
	a->dset = trc_h5_create_table(a->loc, a->desc, chunk_rows ? chunk_rows : 1, a->path,
				      a->obj);
	return a->dset < 0 ? HLSIM_E_IO : HLSIM_OK; /* detail recorded */
}

hlsim_err_t trc_app_create_bytes(struct trc_appender *a, hid_t loc, const char *name,
				 size_t chunk_bytes, const char *path, const char *obj)
{
	hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = chunk_bytes;
	hid_t space, dcpl;
	hlsim_err_t rc = HLSIM_OK;

	memset(a, 0, sizeof(*a));
	a->dset = -1;
	a->mtype = H5T_NATIVE_UINT8;
	a->path = path;
	snprintf(a->obj, sizeof(a->obj), "%s", obj);
	a->row_bytes = 1;
	a->cap_rows = chunk_bytes;
	space = H5Screate_simple(1, &dims, &maxdims);
	dcpl = trc_h5_new_dcpl();
	if (space < 0 || dcpl < 0 || set_filters(dcpl, chunk) < 0) {
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot create dataset %s", path, obj);
		goto out;
	}
	a->dset = H5Dcreate2(loc, name, H5T_STD_U8LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	if (a->dset < 0) {
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot create dataset %s", path, obj);
		goto out;
	}
	rc = trc_h5_attr_write_str(a->dset, "units", "bytes");
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_str(a->dset, "description",
					   "the deduplicated CB bytes, concatenated; blobs index "
					   "into it");
	if (rc != HLSIM_OK)
		hlsim_error_prefix(rc, "%s: %s: ", path, obj);
out:
	if (dcpl >= 0)
		H5Pclose(dcpl);
	if (space >= 0)
		H5Sclose(space);
	return rc;
}

/* Extend the dataset and write @n rows at its end. */
static hlsim_err_t app_write(struct trc_appender *a, const void *rows, size_t n)
{
	hsize_t start = a->written, count = n, size = a->written + n;
	hlsim_err_t rc = app_ensure(a, a->cap_rows);
	hid_t fspace = -1, mspace = -1;

	if (rc != HLSIM_OK)
		return rc;
	if (H5Dset_extent(a->dset, &size) < 0)
		goto err;
	fspace = H5Dget_space(a->dset);
	mspace = H5Screate_simple(1, &count, NULL);
	if (fspace < 0 || mspace < 0 ||
	    H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
	    H5Dwrite(a->dset, a->mtype, mspace, fspace, H5P_DEFAULT, rows) < 0)
		goto err;
	a->written += n;
	goto out;
err:
	rc = trc_h5_fail(HLSIM_E_IO, "%s: %s: cannot write rows %" PRIu64 "..%" PRIu64, a->path,
			 a->obj, a->written, a->written + n - 1);
out:
	if (mspace >= 0)
		H5Sclose(mspace);
	if (fspace >= 0)
		H5Sclose(fspace);
	return rc;
}

hlsim_err_t trc_app_push(struct trc_appender *a, const void *rows, size_t n)
{
	const uint8_t *src = rows;
	hlsim_err_t rc;
	size_t take;

	while (n) {
		if (a->buffered == 0 && n >= a->cap_rows) {
			/* a whole chunk straight from the caller's memory (big blobs) */
			rc = app_write(a, src, a->cap_rows);
			if (rc != HLSIM_OK)
				return rc;
			src += a->cap_rows * a->row_bytes;
			n -= a->cap_rows;
			continue;
		}
		if (!a->buf) {
			a->buf = malloc(a->cap_rows * a->row_bytes);
			if (!a->buf)
				return hlsim_error(HLSIM_E_NOMEM, "%s: %s: no memory for %zu rows",
						   a->path, a->obj, a->cap_rows);
		}
		take = a->cap_rows - a->buffered;
		if (take > n)
			take = n;
		memcpy(a->buf + a->buffered * a->row_bytes, src, take * a->row_bytes);
		a->buffered += take;
		src += take * a->row_bytes;
		n -= take;
		if (a->buffered == a->cap_rows) {
			rc = trc_app_flush(a);
			if (rc != HLSIM_OK)
				return rc;
		}
	}
	return HLSIM_OK;
}

hlsim_err_t trc_app_flush(struct trc_appender *a)
{
	hlsim_err_t rc;

	if (a->buffered == 0)
		return HLSIM_OK;
	rc = app_write(a, a->buf, a->buffered);
	if (rc == HLSIM_OK)
		a->buffered = 0;
	return rc;
}

hlsim_err_t trc_app_close(struct trc_appender *a)
{
	hlsim_err_t rc = HLSIM_OK;

	if (a->dset < 0 && a->desc && a->loc > 0)
		rc = app_ensure(a, a->buffered); /* shorter than a chunk: chunks of its size */
	if (a->dset > 0) {
		if (rc == HLSIM_OK)
			rc = trc_app_flush(a);
		if (H5Dclose(a->dset) < 0 && rc == HLSIM_OK)
			rc = trc_h5_fail(HLSIM_E_IO, "%s: %s: cannot close", a->path, a->obj);
	}
	a->desc = NULL;
	a->loc = -1;
	if (a->mtype_owned && a->mtype > 0)
		H5Tclose(a->mtype);
	free(a->buf);
	a->buf = NULL;
	a->dset = -1;
	a->mtype = -1;
	a->mtype_owned = 0;
	a->buffered = 0;
	return rc;
}

/* {==== window ==== */

hlsim_err_t trc_win_open(struct trc_window *w, hid_t loc, const struct trc_table_desc *d,
			 size_t cap_rows, const char *path, const char *obj)
{
	hlsim_err_t rc;

	memset(w, 0, sizeof(*w));
	w->dset = -1;
	w->mtype = -1;
	w->dxpl = -1;
	w->path = path;
	snprintf(w->obj, sizeof(w->obj), "%s", obj);
	w->row_bytes = d->row_bytes;
	w->cap_rows = cap_rows;
	w->dset = trc_h5_open_dataset(loc, d->name, 1, path, obj);
	if (w->dset < 0)
		return HLSIM_E_TRACE_FORMAT; /* detail recorded */
	rc = trc_h5_check_table(w->dset, d, path, obj, &w->nrows);
	if (rc != HLSIM_OK)
		goto err_close;
	if (w->nrows <= cap_rows) {
		/* the window will hold the whole table: HDF5 need not cache its chunk too */
		H5Dclose(w->dset);
		w->dset = trc_h5_open_dataset(loc, d->name, 0, path, obj);
		if (w->dset < 0)
			return HLSIM_E_TRACE_FORMAT; /* detail recorded */
	}
	w->mtype = trc_h5_mem_type(d);
	w->dxpl = trc_h5_dxpl();
	if (w->mtype < 0 || w->dxpl < 0) {
		rc = trc_h5_fail(HLSIM_E_NOMEM, "%s: %s: cannot build its type", path, obj);
		goto err_close;
	}
	return HLSIM_OK;

err_close:
	trc_win_close(w);
	return rc;
}

hlsim_err_t trc_win_get(struct trc_window *w, uint64_t index, const void **row)
{
	hlsim_err_t rc;
	uint64_t start;
	size_t n;

	if (index - w->first < w->count) {
		*row = w->buf + (index - w->first) * w->row_bytes;
		return HLSIM_OK;
	}
	if (index >= w->nrows)
		return hlsim_error(HLSIM_E_INVAL, "%s: %s: row %" PRIu64 " out of range (%" PRIu64
				   " rows)", w->path, w->obj, index, w->nrows);
	if (!w->buf) {
		/* a small table gets a small window: a run may hold thousands of devices' */
		if (w->nrows < w->cap_rows)
			w->cap_rows = (size_t)w->nrows;
		w->buf = malloc(w->cap_rows * w->row_bytes);
		if (!w->buf)
			return hlsim_error(HLSIM_E_NOMEM, "%s: %s: no memory for a read window",
					   w->path, w->obj);
	}
	start = index - index % w->cap_rows;
	n = w->nrows - start < w->cap_rows ? (size_t)(w->nrows - start) : w->cap_rows;
	w->count = 0;
	rc = trc_h5_read_rows(w->dset, w->mtype, w->dxpl, start, n, w->buf, w->path, w->obj);
	if (rc != HLSIM_OK)
		return rc;
	w->first = start;
	w->count = n;
	w->reads++;
	*row = w->buf + (index - start) * w->row_bytes;
	return HLSIM_OK;
}

void trc_win_close(struct trc_window *w)
{
	if (w->dset > 0)
		H5Dclose(w->dset);
	if (w->mtype > 0)
		H5Tclose(w->mtype);
	if (w->dxpl > 0)
		H5Pclose(w->dxpl);
	free(w->buf);
	w->buf = NULL;
	w->dset = -1;
	w->mtype = -1;
	w->dxpl = -1;
	w->count = 0;
}
