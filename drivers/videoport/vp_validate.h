/*
 * The video port's checks of request arguments that depend on nothing but
 * those arguments: the status translation, the bytes a reply reports, the
 * SHARE range, a banked view's geometry and SET_CURRENT_MODE's argument.
 * The port calls them (videoport.c, vp_requests.c, vp_bank.c); being pure,
 * they are also built for the host and fuzzed there (tests/fuzz/).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/abi/video.h"

#define VP_BANK_MAX 0x10000u /* the largest bank: the VGA window's 64 KiB */

/* VP_STATUS -> NTSTATUS and back, through one table (also declared in
 * videoport.h for the rest of the kernel): a status outside the table
 * becomes STATUS_UNSUCCESSFUL, an NTSTATUS outside it ERROR_GEN_FAILURE. */
NTSTATUS vp_status_to_nt(VP_STATUS status);
VP_STATUS vp_status_from_nt(NTSTATUS status);

/* The bytes of output a completed request reports: its Information when
 * it succeeded or returned partial data (ERROR_MORE_DATA), 0 after any
 * other status; never more than the out_len bytes the buffer holds. */
ULONG vpv_reply_information(VP_STATUS status, ULONG information, ULONG out_len);

/* SHARE's range check (F4', F6'). True when unit (a page, or a banked
 * mode's bank length) is a power of two, size is not 0, offset is a
 * multiple of unit and [offset, offset + size rounded up to whole pages)
 * lies inside [0, limit); *rounded is then that rounded size. Nothing is
 * computed in a way that can wrap. */
bool vpv_share_range(ULONG offset, ULONG size, ULONG limit, ULONG unit, ULONG *rounded);

struct vp_bank_hardware;

/* The window slots a banked geometry gives, each showing a bank of its own
 * (F18'): 2 for two read-write windows at addresses bank_length apart or
 * more whose banks are independent (read_write_bank FALSE); 1 for one
 * read-write window, a read window and a write window at one address, or
 * two read-write windows sharing one bank (then window 0 alone is used);
 * 0 for a geometry that is not valid: window_count outside 1..2, a window
 * not page aligned, smaller than a bank or reaching past 4 GiB, a single
 * window that is not read-write, or any other pair. */
uint32_t vpv_bank_slots(const struct vp_bank_hardware *hw);

/* A banked view's geometry: true when bank_length is a power of two from
 * a page to VP_BANK_MAX, the windows give at least one slot, and size is
 * a whole number of pages, at least one (F6'). */
bool vpv_banked_view(const struct vp_bank_hardware *hw, ULONG size);

/* SET_CURRENT_MODE's RequestedMode: *flags gets its NO_ZERO_MEMORY and
 * MAP_MEM_LINEAR bits, *index the rest. True when that index names one
 * of mode_count modes. */
bool vpv_set_mode(ULONG requested, ULONG mode_count, ULONG *index, ULONG *flags);
