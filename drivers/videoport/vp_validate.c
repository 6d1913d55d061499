/*
 * The video port's pure argument checks (see vp_validate.h). Each one is
 * what a request handler asks before it touches anything, so a refusal
 * here leaves no trace.
 */
#include "vp_validate.h"

#include "kernel/kernel.h"
#include "miniport_api.h"
#include "mm/mm.h"

/* The translation table, both ways; anything else is a general failure. */
static const struct {
    VP_STATUS win32;
    NTSTATUS nt;
} status_table[] = {
    { NO_ERROR, STATUS_SUCCESS },
    { ERROR_INVALID_FUNCTION, STATUS_NOT_IMPLEMENTED },
    { ERROR_INVALID_HANDLE, STATUS_INVALID_HANDLE },
    { ERROR_NOT_ENOUGH_MEMORY, STATUS_INSUFFICIENT_RESOURCES },
    { ERROR_DEV_NOT_EXIST, STATUS_DEVICE_DOES_NOT_EXIST },
    { ERROR_INVALID_PARAMETER, STATUS_INVALID_PARAMETER },
    { ERROR_INSUFFICIENT_BUFFER, STATUS_BUFFER_TOO_SMALL },
    { ERROR_MORE_DATA, STATUS_BUFFER_OVERFLOW },
    { ERROR_IO_PENDING, STATUS_PENDING },
    { ERROR_NOACCESS, STATUS_ACCESS_VIOLATION },
};

NTSTATUS vp_status_to_nt(VP_STATUS status)
{
    for (size_t i = 0; i < ARRAY_SIZE(status_table); i++) {
        if (status_table[i].win32 == status)
            return status_table[i].nt;
    }
    return STATUS_UNSUCCESSFUL;
}

VP_STATUS vp_status_from_nt(NTSTATUS status)
{
    for (size_t i = 0; i < ARRAY_SIZE(status_table); i++) {
        if (status_table[i].nt == status)
            return status_table[i].win32;
    }
    return ERROR_GEN_FAILURE;
}

ULONG vpv_reply_information(VP_STATUS status, ULONG information, ULONG out_len)
{
    bool failed = status != NO_ERROR && status != ERROR_MORE_DATA;
    ULONG info = failed ? 0 : information;
    return info < out_len ? info : out_len;
}

static bool power_of_two(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* Rounding up can wrap only when size is within a unit of 4 GiB; such a
 * size never fits, and the comparison with the unrounded size says so. */
bool vpv_share_range(ULONG offset, ULONG size, ULONG limit, ULONG unit, ULONG *rounded)
{
    if (!power_of_two(unit) || size == 0 || offset % unit != 0 || offset >= limit ||
        size > limit - offset)
        return false;
    ULONG whole = ALIGN_UP(size, PAGE_SIZE);
    if (whole < size || whole > limit - offset)
        return false;
    *rounded = whole;
    return true;
}

/* Whether window w lies page aligned below 4 GiB and spans a bank. */
static bool window_fits(const struct vp_bank_window *w, ULONG bank_length)
{
    return w->phys % PAGE_SIZE == 0 && w->size >= bank_length && w->phys < (1ull << 32) &&
           w->size <= (1ull << 32) - w->phys;
}

/* Whether banks bank_length long at a and b would overlap. */
static bool banks_overlap(PHYSICAL_ADDRESS a, PHYSICAL_ADDRESS b, ULONG bank_length)
{
    return a < b + bank_length && b < a + bank_length;
}

uint32_t vpv_bank_slots(const struct vp_bank_hardware *hw)
{
    const struct vp_bank_window *w = hw->windows;
    if (hw->window_count < 1 || hw->window_count > VP_WINDOWS_MAX ||
        !window_fits(&w[0], hw->bank_length))
        return 0;
    if (hw->window_count == 1)
        return w[0].access == VP_WINDOW_READ_WRITE ? 1 : 0;
    if (!window_fits(&w[1], hw->bank_length))
        return 0;
    bool both_rw = w[0].access == VP_WINDOW_READ_WRITE && w[1].access == VP_WINDOW_READ_WRITE;
    bool read_and_write = w[0].phys == w[1].phys &&
                          ((w[0].access == VP_WINDOW_READ && w[1].access == VP_WINDOW_WRITE) ||
                           (w[0].access == VP_WINDOW_WRITE && w[1].access == VP_WINDOW_READ));
    if (read_and_write)
        return 1;
    if (!both_rw || banks_overlap(w[0].phys, w[1].phys, hw->bank_length))
        return 0;
    return hw->read_write_bank ? 1 : 2;
}

bool vpv_banked_view(const struct vp_bank_hardware *hw, ULONG size)
{
    return power_of_two(hw->bank_length) && hw->bank_length >= PAGE_SIZE &&
           hw->bank_length <= VP_BANK_MAX && vpv_bank_slots(hw) != 0 && size != 0 &&
           size % PAGE_SIZE == 0;
}

bool vpv_set_mode(ULONG requested, ULONG mode_count, ULONG *index, ULONG *flags)
{
    *flags = requested & (VIDEO_MODE_NO_ZERO_MEMORY | VIDEO_MODE_MAP_MEM_LINEAR);
    *index = requested & ~*flags;
    return *index < mode_count;
}
