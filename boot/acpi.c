/*
 * ACPI processor discovery (acpi.h). Tables are read through the reader
 * one checked piece at a time: a header first, then the length it states,
 * capped, and only summed tables are believed.
 */
#include "acpi.h"

#include <stddef.h>

#define RSDP_SIZE_V1 20u
#define RSDP_SIZE_V2 36u
#define HEADER_SIZE 36u
#define TABLE_MAX (64u << 10) /* no RSDT or MADT of a PC comes near it */
#define BDA_EBDA_SEGMENT 0x40Eu
#define EBDA_SCAN 1024u
#define BIOS_AREA 0xE0000u
#define BIOS_AREA_SIZE 0x20000u
#define MADT_ENTRIES 44u
#define MADT_LOCAL_APIC 0
#define LOCAL_APIC_ENABLED 0x01u

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool sums_to_zero(const uint8_t *p, uint32_t len)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

static bool same(const uint8_t *p, const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != (uint8_t)s[i])
            return false;
    }
    return true;
}

/* An RSDP at p: the signature, the version 1 checksum, and for version 2
 * and later the extended one over its stated length too. */
static bool is_rsdp(const uint8_t *p, uint32_t room)
{
    if (room < RSDP_SIZE_V1 || !same(p, "RSD PTR ", 8) || !sums_to_zero(p, RSDP_SIZE_V1))
        return false;
    return p[15] < 2 || (room >= RSDP_SIZE_V2 && sums_to_zero(p, RSDP_SIZE_V2));
}

/* The first RSDP on a 16-byte boundary in [start, start + len), or 0. */
static uint32_t scan(boot_phys_reader phys, uint32_t start, uint32_t len)
{
    const uint8_t *area = phys(start, len);
    for (uint32_t off = 0; area && off + RSDP_SIZE_V1 <= len; off += 16) {
        if (is_rsdp(area + off, len - off))
            return start + off;
    }
    return 0;
}

uint32_t acpi_find_rsdp(boot_phys_reader phys)
{
    const uint8_t *bda = phys(BDA_EBDA_SEGMENT, 2);
    uint32_t ebda = bda ? (uint32_t)(bda[0] | bda[1] << 8) << 4 : 0;
    uint32_t found = ebda >= 0x80000u && ebda < 0xA0000u ? scan(phys, ebda, EBDA_SCAN) : 0;
    return found ? found : scan(phys, BIOS_AREA, BIOS_AREA_SIZE);
}

/* The table at `at` if its signature is `sig` (NULL: any), its length
 * between a header and TABLE_MAX and its bytes sum to zero; *len its length. */
static const uint8_t *table(boot_phys_reader phys, uint64_t at, const char *sig, uint32_t *len)
{
    const uint8_t *h = at < 0x100000000ull ? phys((uint32_t)at, HEADER_SIZE) : NULL;
    if (!h || (sig && !same(h, sig, 4)))
        return NULL;
    *len = le32(h + 4);
    if (*len < HEADER_SIZE || *len > TABLE_MAX)
        return NULL;
    const uint8_t *t = phys((uint32_t)at, *len);
    return t && sums_to_zero(t, *len) ? t : NULL;
}

/* The local APIC entries of a MADT of len bytes; entries that would run
 * past it, or of a length under two, end the walk. */
static void read_madt(const uint8_t *madt, uint32_t len, struct acpi_cpus *out)
{
    *out = (struct acpi_cpus){ .lapic_phys = le32(madt + HEADER_SIZE) };
    for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
        uint8_t type = madt[off], entry = madt[off + 1];
        if (entry < 2 || entry > len - off)
            break;
        bool lapic = type == MADT_LOCAL_APIC && entry >= 8;
        if (lapic && (le32(madt + off + 4) & LOCAL_APIC_ENABLED)) {
            if (out->count < ACPI_MAX_CPUS)
                out->apic_id[out->count++] = madt[off + 3];
            out->listed++;
        }
        off += entry;
    }
}

enum acpi_result acpi_read_cpus(uint32_t rsdp_phys, boot_phys_reader phys, struct acpi_cpus *out)
{
    *out = (struct acpi_cpus){ .listed = 0 };
    uint32_t room = RSDP_SIZE_V2;
    const uint8_t *rsdp = rsdp_phys ? phys(rsdp_phys, room) : NULL;
    if (!rsdp && rsdp_phys)
        rsdp = phys(rsdp_phys, room = RSDP_SIZE_V1);
    if (!rsdp || !is_rsdp(rsdp, room))
        return ACPI_NO_RSDP;
    bool xsdt = rsdp[15] >= 2 && (le32(rsdp + 24) || le32(rsdp + 28));
    uint64_t root_at = xsdt ? le32(rsdp + 24) | (uint64_t)le32(rsdp + 28) << 32 : le32(rsdp + 16);
    uint32_t root_len, madt_len;
    const uint8_t *root = table(phys, root_at, xsdt ? "XSDT" : "RSDT", &root_len);
    if (!root)
        return ACPI_BAD_TABLE;
    uint32_t step = xsdt ? 8 : 4;
    for (uint32_t off = HEADER_SIZE; off + step <= root_len; off += step) {
        uint64_t at = le32(root + off) | (xsdt ? (uint64_t)le32(root + off + 4) << 32 : 0);
        const uint8_t *madt = table(phys, at, "APIC", &madt_len);
        if (madt && madt_len >= MADT_ENTRIES) {
            read_madt(madt, madt_len, out);
            return ACPI_OK;
        }
    }
    return ACPI_NO_MADT;
}

const char *acpi_result_name(enum acpi_result result)
{
    static const char *const names[] = { "ok", "no RSDP", "a bad RSDT or XSDT", "no MADT" };
    return (unsigned)result < sizeof(names) / sizeof(names[0]) ? names[result] : "unknown";
}
