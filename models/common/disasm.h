/**
 * models/common/disasm.h - one-line, objdump-like text for a decoded packet.
 *
 * Engine-neutral: everything ASIC-specific (opcode names, register names, sync-manager
 * and fence addresses, memory kinds, MSG_SHORT bases) comes from the ASIC's function
 * table. Meant for `hlsim disasm`, error reports and tests; it formats text, so keep it
 * off per-packet simulation paths.
 *
 * Line layout (columns separated by two spaces):
 *
 *   0x000040  00100000 49000008 ...  LIN_DMA       rb        host -> sram, 1048576 B, src ...
 *   offset    dword 0, dword 1 (ctl) opcode name   barriers  fields
 *             as u32 values; "..." when the packet is longer than 8 bytes
 *
 * Barriers are printed as the words "eb", "rb", "mb", each only when its bit is set,
 * in a fixed-width column; a non-zero predicate follows as "pred=N".
 */
#ifndef HLSIM_MDL_DISASM_H
#define HLSIM_MDL_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include "models/common/asic.h"

/**
 * mdl_disasm_packet - print one packet as a line of text (no trailing newline).
 * @f: the ASIC's function table.
 * @queue_id: the queue that runs the CB: selects the engine class for register names and
 *            the QMAN whose CP_MSG_BASE registers resolve MSG_SHORT.
 * @cb: the command buffer, @cb_size bytes; the raw words are read at @off.
 * @off: byte offset of the packet in @cb.
 * @cmd: the packet decoded by @f->decode(cb, cb_size, off, cmd).
 * @buf: output, room for @cap bytes; always NUL-terminated when @cap > 0.
 *
 * Returns HLSIM_OK, or HLSIM_E_INVAL (detail set) on a NULL argument, an offset whose
 * packet does not lie inside the CB, or a line longer than @cap (then @buf holds the
 * truncated line).
 */
hlsim_err_t mdl_disasm_packet(const struct mdl_asic_funcs *f, uint32_t queue_id,
			      const uint8_t *cb, size_t cb_size, size_t off,
			      const struct hlsim_cmd *cmd, char *buf, size_t cap);

#endif /* HLSIM_MDL_DISASM_H */
