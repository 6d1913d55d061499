/*
 * The vbe miniport's mode table (vbe_modes.h), from what the video BIOS
 * reported of each mode (4F01). Nothing here calls the BIOS.
 */
#include "vbe_modes.h"

#define PAGE 4096u
#define ATTR_SUPPORTED 0x01u
#define ATTR_GRAPHICS 0x10u
#define ATTR_NO_WINDOWS 0x40u
#define ATTR_LINEAR 0x80u
#define WINDOW_USABLE 0x07u /* exists, readable, writable */
#define MODEL_PACKED 4
#define MODEL_DIRECT 6
#define WINDOW_KIB 64u

static ULONG field_mask(uint8_t size, uint8_t position)
{
    return size == 0 || size > 8 || position > 24 ? 0 : ((1u << size) - 1) << position;
}

/* The geometry and masks of info, if it is a mode the table takes. */
static bool describe(const struct vbe_mode_info *info, struct vp_mode_desc *d)
{
    bool graphics = (info->attributes & (ATTR_SUPPORTED | ATTR_GRAPHICS)) ==
                    (ATTR_SUPPORTED | ATTR_GRAPHICS);
    bool packed = info->memory_model == MODEL_PACKED && info->bpp == 8;
    bool direct = info->memory_model == MODEL_DIRECT && (info->bpp == 15 || info->bpp == 16 ||
                                                         info->bpp == 24 || info->bpp == 32);
    bool size = info->width >= 640 && info->height >= 480 && info->width <= 1024 &&
                info->height <= 768;
    if (!graphics || !(packed || direct) || !size)
        return false;
    *d = (struct vp_mode_desc){ .width = info->width, .height = info->height, .bpp = info->bpp,
                                .stride = info->bytes_per_line,
                                .red_mask = field_mask(info->red_size, info->red_position),
                                .green_mask = field_mask(info->green_size, info->green_position),
                                .blue_mask = field_mask(info->blue_size, info->blue_position) };
    if (packed)
        vp_standard_masks(8, d); /* vidport's 3-3-2 palette */
    return true;
}

/* Whether window A is what a banked twin needs, moving in the steps of
 * the banked modes before it (the table keeps one step for all), with
 * rows of whole pixels, so that no pixel spans two banks. */
static bool window_usable(const struct vbe_modes *t, const struct vbe_mode_info *info)
{
    ULONG steps = info->granularity_kib ? WINDOW_KIB / info->granularity_kib : 0;
    bool same_steps = !t->granules_per_bank || t->granules_per_bank == steps;
    bool whole_pixels = info->bytes_per_line % ((info->bpp + 7) / 8) == 0;
    return same_steps && whole_pixels && !(info->attributes & ATTR_NO_WINDOWS) &&
           (info->window_a & WINDOW_USABLE) == WINDOW_USABLE &&
           info->segment_a == VBE_WINDOW_SEGMENT && info->window_kib == WINDOW_KIB &&
           info->granularity_kib && WINDOW_KIB % info->granularity_kib == 0 && info->bpp != 24;
}

/* Append d unless the table is full, it does not fit, or a mode of its
 * geometry and kind is listed already (BIOSes list some twice under two
 * numbers: the first stays). */
static ULONG add(struct vbe_modes *t, USHORT number, struct vp_mode_desc *d, uint32_t usable,
                 ULONG unit)
{
    bool listed = vbe_find_mode(t, d->width, d->height, d->bpp, d->banked) < t->count;
    if (t->count == VBE_MAX_MODES || listed || !vp_fit_mode(d, usable, unit))
        return 0;
    vp_fill_mode(&t->modes[t->count], t->count, d);
    t->number[t->count++] = number;
    return 1;
}

static bool has_banked_twin(const struct vbe_modes *t)
{
    for (ULONG i = 0; i < t->count; i++) {
        if (t->modes[i].AttributeFlags & VIDEO_MODE_BANKED)
            return true;
    }
    return false;
}

ULONG vbe_add_mode(struct vbe_modes *t, USHORT number, const struct vbe_mode_info *info,
                   uint32_t vram_size)
{
    struct vp_mode_desc d;
    if (!describe(info, &d))
        return 0;
    ULONG added = 0;
    bool same_lfb = !t->lfb_phys || t->lfb_phys == info->lfb_phys;
    bool lfb_ok = info->lfb_phys && info->lfb_phys % PAGE == 0 && same_lfb &&
                  (uint64_t)info->lfb_phys >= t->lfb_base &&
                  (uint64_t)info->lfb_phys + vram_size <= t->lfb_limit;
    if ((info->attributes & ATTR_LINEAR) && lfb_ok) {
        t->lfb_phys = info->lfb_phys;
        added += add(t, number, &d, vram_size, PAGE);
    }
    if (window_usable(t, info)) {
        bool first = !has_banked_twin(t);
        t->bank_length = WINDOW_KIB * 1024;
        t->granules_per_bank = WINDOW_KIB / info->granularity_kib;
        d.banked = true;
        ULONG banked = add(t, number, &d, vram_size, t->bank_length);
        if (banked && (first || t->window_function != info->window_function))
            t->window_function = first ? info->window_function : 0;
        added += banked;
    }
    return added;
}

ULONG vbe_find_mode(const struct vbe_modes *t, ULONG width, ULONG height, ULONG bpp, bool banked)
{
    ULONG i = 0;
    for (; i < t->count; i++) {
        const VIDEO_MODE_INFORMATION *m = &t->modes[i];
        bool is_banked = m->AttributeFlags & VIDEO_MODE_BANKED;
        if (m->VisScreenWidth == width && m->VisScreenHeight == height &&
            m->BitsPerPlane == bpp && is_banked == banked)
            break;
    }
    return i;
}
