/*
 * ACPI processor discovery (acpi.h). Tables are read through the reader
 * one checked piece at a time: a header first, then the length it states,
 * capped, and only summed tables are believed; so is an RSDP, wherever it
 * was found or whoever named it.
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
#define FOUR_GIB 0x100000000ull
#define SCAN_BLOCK 4096u /* how much of a memory map range the reclaimable scan reads at once */

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

/* The RSDP at `at` if one is there (its version 2 length read when the
 * reader reaches it, else its first 20 bytes); else NULL. */
static const uint8_t *rsdp_at(boot_phys_reader phys, uint32_t at)
{
    uint32_t room = RSDP_SIZE_V2;
    const uint8_t *p = at ? phys(at, room) : NULL;
    if (!p && at)
        p = phys(at, room = RSDP_SIZE_V1);
    return p && is_rsdp(p, room) ? p : NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The value of text when it is "0x" (or "0X") and 1 to 16 hex digits. */
static bool parse_hex(const char *text, uint64_t *value)
{
    if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return false;
    int digits = 0;
    *value = 0;
    for (const char *p = text + 2; *p; p++, digits++) {
        int d = hex_digit(*p);
        if (d < 0 || digits == 16)
            return false;
        *value = *value << 4 | (uint64_t)d;
    }
    return digits > 0;
}

/* What the acpi.rsdp= option's text (NULL: not given) comes to; *at is
 * the RSDP's address only when it is ACPI_OPTION_USED. */
static enum acpi_option read_option(const char *text, boot_phys_reader phys, uint32_t *at)
{
    uint64_t value;
    if (!text)
        return ACPI_OPTION_UNSET;
    if (!parse_hex(text, &value) || value == 0)
        return ACPI_OPTION_MALFORMED;
    if (value >= FOUR_GIB)
        return ACPI_OPTION_ABOVE_4G;
    if (!rsdp_at(phys, (uint32_t)value))
        return ACPI_OPTION_NO_RSDP;
    *at = (uint32_t)value;
    return ACPI_OPTION_USED;
}

/*
 * The first RSDP on a 16-byte boundary in the length bytes from base (a
 * memory map range; what lies above 4 GiB is out of reach), or 0. Read a
 * block at a time, each with the bytes a version 2 RSDP at its end needs,
 * so that a part of the range the reader does not reach hides none of
 * the rest.
 */
static uint32_t scan_range(boot_phys_reader phys, uint64_t base, uint64_t length)
{
    if (base >= FOUR_GIB)
        return 0;
    uint64_t end = length < FOUR_GIB - base ? base + length : FOUR_GIB;
    for (uint64_t at = (base + 15) & ~15ull; at + RSDP_SIZE_V1 <= end; at += SCAN_BLOCK) {
        uint64_t left = end - at;
        uint32_t len = left < SCAN_BLOCK + RSDP_SIZE_V2 ? (uint32_t)left : SCAN_BLOCK + RSDP_SIZE_V2;
        if (len > SCAN_BLOCK && !phys((uint32_t)at, len))
            len = SCAN_BLOCK; /* the reader's reach may end with this block */
        uint32_t found = scan(phys, (uint32_t)at, len);
        if (found)
            return found;
    }
    return 0;
}

/* The first RSDP in the map's ACPI-reclaimable ranges, in map order, or 0. */
static uint32_t scan_reclaimable(const struct boot_info *info, boot_phys_reader phys)
{
    for (int i = 0; i < info->memory_count; i++) {
        const struct boot_memory_range *r = &info->memory[i];
        uint32_t found = r->type == BOOT_MEMORY_ACPI_RECLAIMABLE
                             ? scan_range(phys, r->base, r->length) : 0;
        if (found)
            return found;
    }
    return 0;
}

struct acpi_rsdp_search acpi_locate_rsdp(const char *option, const struct boot_info *info,
                                         boot_phys_reader phys)
{
    struct acpi_rsdp_search s = { .source = ACPI_RSDP_OPTION };
    s.option = read_option(option, phys, &s.phys);
    if (!s.phys) {
        s.phys = acpi_find_rsdp(phys);
        s.source = ACPI_RSDP_LEGACY;
    }
    if (!s.phys) {
        s.phys = scan_reclaimable(info, phys);
        s.source = s.phys ? ACPI_RSDP_RECLAIMABLE : ACPI_RSDP_NONE;
    }
    return s;
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
    const uint8_t *rsdp = rsdp_at(phys, rsdp_phys);
    if (!rsdp)
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

#define NAME_OF(names, i) ((unsigned)(i) < sizeof(names) / sizeof(names[0]) ? names[i] : "unknown")

const char *acpi_result_name(enum acpi_result result)
{
    static const char *const names[] = { "ok", "no RSDP", "a bad RSDT or XSDT", "no MADT" };
    return NAME_OF(names, result);
}

const char *acpi_option_name(enum acpi_option option)
{
    static const char *const names[] = {
        "not given", "used", "not 0x and a hex address", "above 4 GiB, out of reach",
        "no valid RSDP there",
    };
    return NAME_OF(names, option);
}

const char *acpi_rsdp_source_name(enum acpi_rsdp_source source)
{
    static const char *const names[] = {
        "none", "given by acpi.rsdp=", "found by the legacy scan",
        "found in ACPI-reclaimable memory",
    };
    return NAME_OF(names, source);
}
