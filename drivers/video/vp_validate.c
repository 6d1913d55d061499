/*
 * The video port's pure argument checks (see vp_validate.h). Each one is
 * what a request handler asks before it touches anything, so a refusal
 * here leaves no trace.
 */
#include "vp_validate.h"

#include "kernel/kernel.h"
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

bool vpv_banked_view(uint64_t window_phys, ULONG bank_length, ULONG size)
{
    uint64_t span = 2 * (uint64_t)bank_length;
    return power_of_two(bank_length) && bank_length >= PAGE_SIZE && bank_length <= VP_BANK_MAX &&
           window_phys % PAGE_SIZE == 0 && window_phys <= (1ull << 32) - span && size != 0 &&
           size % PAGE_SIZE == 0;
}

bool vpv_set_mode(ULONG requested, ULONG mode_count, ULONG *index, ULONG *flags)
{
    *flags = requested & (VIDEO_MODE_NO_ZERO_MEMORY | VIDEO_MODE_MAP_MEM_LINEAR);
    *index = requested & ~*flags;
    return *index < mode_count;
}
