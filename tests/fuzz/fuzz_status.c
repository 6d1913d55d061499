/*
 * Fuzz target: the status translation and what a reply reports
 * (vp_status_to_nt, vp_status_from_nt, vpv_reply_information in
 * drivers/videoport/vp_validate.c).
 *
 * Checked against NT's own pairing of the Win32 codes a request can end
 * with and their NTSTATUS values, written out here independently of the
 * port's table: each pair translates both ways and round-trips, anything
 * else becomes the general failure of the other side, only NO_ERROR and
 * ERROR_IO_PENDING become NT success codes, and a reply never reports more
 * bytes than the output buffer holds, nor any after a failure.
 *
 * Input: a byte choosing whether each value is one of the known codes or
 * arbitrary, then a VP_STATUS, an NTSTATUS, Information and the output
 * buffer's length.
 */
#include "fuzz.h"

#include "drivers/videoport/vp_validate.h"

static const struct {
    VP_STATUS win32;
    NTSTATUS nt;
} nt_pairs[] = {
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
#define PAIRS (sizeof(nt_pairs) / sizeof(nt_pairs[0]))

/* The pair of a Win32 code or of an NTSTATUS; -1 when there is none. */
static int pair_of_win32(VP_STATUS s)
{
    for (int i = 0; i < (int)PAIRS; i++) {
        if (nt_pairs[i].win32 == s)
            return i;
    }
    return -1;
}

static int pair_of_nt(NTSTATUS s)
{
    for (int i = 0; i < (int)PAIRS; i++) {
        if (nt_pairs[i].nt == s)
            return i;
    }
    return -1;
}

static void check_to_nt(VP_STATUS s)
{
    int pair = pair_of_win32(s);
    NTSTATUS nt = vp_status_to_nt(s);
    PROPERTY(nt == (pair >= 0 ? nt_pairs[pair].nt : STATUS_UNSUCCESSFUL));
    PROPERTY(vp_status_from_nt(nt) == (pair >= 0 ? s : ERROR_GEN_FAILURE));
    PROPERTY((nt >= 0) == (s == NO_ERROR || s == ERROR_IO_PENDING)); /* NT_SUCCESS */
}

static void check_from_nt(NTSTATUS nt)
{
    int pair = pair_of_nt(nt);
    VP_STATUS s = vp_status_from_nt(nt);
    PROPERTY(s == (pair >= 0 ? nt_pairs[pair].win32 : ERROR_GEN_FAILURE));
    PROPERTY(vp_status_to_nt(s) == (pair >= 0 ? nt : STATUS_UNSUCCESSFUL));
}

static void check_information(VP_STATUS s, ULONG information, ULONG out_len)
{
    ULONG reported = vpv_reply_information(s, information, out_len);
    bool data = s == NO_ERROR || s == ERROR_MORE_DATA;
    PROPERTY(reported <= out_len);
    PROPERTY(data || reported == 0);
    PROPERTY(!data || reported == (information < out_len ? information : out_len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    uint8_t shape = take_u8(&in);
    uint32_t raw_win32 = take_u32(&in), raw_nt = take_u32(&in);
    VP_STATUS s = shape & 1 ? (VP_STATUS)raw_win32 : nt_pairs[raw_win32 % PAIRS].win32;
    NTSTATUS nt = shape & 2 ? (NTSTATUS)raw_nt : nt_pairs[raw_nt % PAIRS].nt;
    check_to_nt(s);
    check_from_nt(nt);
    ULONG information = take_u32(&in), out_len = take_u32(&in);
    check_information(s, information, out_len);
    return 0;
}
