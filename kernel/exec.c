/*
 * ELF loader. Each PT_LOAD segment becomes an "image" region that fills
 * its pages on first touch from the ELF file in the boot archive (bss pages
 * come out zeroed), so starting a program costs only what it touches.
 */
#include "exec.h"

#include "abi/vidport_abi.h"
#include "elf_check.h"
#include "kstring.h"

/* One segment: the bytes of the file that belong at vaddr. */
struct segment {
    const uint8_t *file;
    uint32_t vaddr, filesz;
};

/* Copy the part of the segment's file bytes that falls in the page at va. */
static void fill_from_file(uint8_t *page, uint32_t va, const void *ctx)
{
    const struct segment *seg = ctx;
    uint32_t file_end = seg->vaddr + seg->filesz;
    uint32_t from = va > seg->vaddr ? va : seg->vaddr;
    uint32_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
    if (from < to)
        memcpy(page + (from - va), seg->file + (from - seg->vaddr), to - from);
}

static enum fault_result image_fault(struct region *r, struct fault_info *fi)
{
    return vm_fault_in_new_frame(r, fi, fill_from_file, r->private);
}

static void image_close(struct region *r)
{
    vm_unmap_region(r, true);
    kfree(r->private);
}

static const struct region_ops image_region_ops = {
    .name = "image", .fault = image_fault, .close = image_close,
};

/* Map one segment elf_check_image accepted as an image region: 0, or
 * -VP_ENOMEM. The checks leave the insertion nothing to overlap; should it
 * fail all the same, the image is refused as malformed. */
static int add_segment(struct vmspace *vm, const uint8_t *elf, const struct elf_phdr *ph)
{
    struct segment *seg = kzalloc(sizeof(*seg));
    if (!seg)
        return -VP_ENOMEM;
    *seg = (struct segment){ elf + ph->offset, ph->vaddr, ph->filesz };
    uint32_t rights = PAGE_USER | ((ph->flags & PF_W) ? PAGE_WRITE : 0);
    struct region *r = vm_region_new(ALIGN_DOWN(ph->vaddr, PAGE_SIZE),
                                     ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE), rights,
                                     "image", &image_region_ops, seg);
    if (!r) {
        kfree(seg);
        return -VP_ENOMEM;
    }
    if (vm_insert(vm, r) != 0) {
        kfree(seg);
        vm_discard(r);
        return -VP_EINVAL;
    }
    return 0;
}

/* Check the whole image before anything is allocated for it, so that a
 * malformed one is refused at the cost of reading its headers, then map
 * its segments. Their memory ends below the stack's guard gap. */
static int load_segments(struct vmspace *vm, const uint8_t *elf, uint32_t size,
                         struct exec_image *out)
{
    struct elf_layout layout;
    if (!elf_check_image(elf, size, EXEC_IMAGE_LIMIT, &layout))
        return -VP_EINVAL;
    for (uint32_t i = 0; i < layout.count; i++) {
        int err = add_segment(vm, elf, &layout.loads[i]);
        if (err)
            return err;
    }
    out->entry = layout.entry;
    out->image_end = layout.end;
    return 0;
}

/* Insert a new region: -VP_ENOMEM if it could not be made, -VP_EINVAL if
 * it overlaps one already there (it is freed then); the caller's
 * vm_destroy cleans up whatever was inserted before. */
static int insert_or_discard(struct vmspace *vm, struct region *r)
{
    if (!r)
        return -VP_ENOMEM;
    if (vm_insert(vm, r) == 0)
        return 0;
    vm_discard(r);
    return -VP_EINVAL;
}

/* The stack, and below it a guard region of USER_STACK_GAP that no heap,
 * segment or view can take: a stack frame that reaches below the stack
 * by up to that much faults there instead of landing in other memory. */
static int add_stack(struct vmspace *vm)
{
    uint32_t bottom = USER_STACK_TOP - USER_STACK_SIZE;
    int err = insert_or_discard(vm, vm_region_new(bottom, USER_STACK_TOP, PAGE_USER | PAGE_WRITE,
                                                  "stack", &anon_region_ops, NULL));
    if (err)
        return err;
    return insert_or_discard(vm, vm_region_new(EXEC_IMAGE_LIMIT, bottom, PAGE_USER | PAGE_WRITE,
                                               "stack guard", &guard_region_ops, NULL));
}

/* Copy name, then each space-separated word of args, into buf as
 * consecutive NUL-terminated strings (args is cut at VP_ARGS_MAX - 1
 * bytes, name at VP_NAME_MAX - 1). Returns argc; *len gets the bytes. */
static uint32_t pack_arguments(char *buf, const char *name, const char *args, uint32_t *len)
{
    uint32_t n = 0, argc = 1;
    for (; n < VP_NAME_MAX - 1 && name[n]; n++)
        buf[n] = name[n];
    buf[n++] = '\0';
    bool in_word = false;
    for (uint32_t i = 0; i < VP_ARGS_MAX - 1 && args[i]; i++) {
        bool space = args[i] == ' ';
        argc += !space && !in_word;
        if (!space || in_word)
            buf[n++] = space ? '\0' : args[i];
        in_word = !space;
    }
    if (in_word)
        buf[n++] = '\0';
    *len = n;
    return argc;
}

/*
 * Lay out the initial stack: the argument strings at the top, then argv[]
 * (NULL-terminated), then argc and argv, as crt0's _start expects them.
 * Every word of args becomes an argument: at most EXEC_MAX_ARGS in all.
 */
static int push_arguments(struct vmspace *vm, const char *name, const char *args, uint32_t *sp)
{
    char strings[VP_NAME_MAX + VP_ARGS_MAX];
    uint32_t user_argv[EXEC_MAX_ARGS + 1], len;
    uint32_t argc = pack_arguments(strings, name, args, &len);
    uint32_t top = USER_STACK_TOP - len;
    for (uint32_t i = 0, at = 0; i < argc; i++, at += strlen(strings + at) + 1)
        user_argv[i] = top + at;
    user_argv[argc] = 0;
    uint32_t vector = ALIGN_DOWN(top, 16) - (argc + 1) * 4;
    uint32_t frame[2] = { argc, vector };
    if (vm_copy_out(vm, top, strings, len) != 0 ||
        vm_copy_out(vm, vector, user_argv, (argc + 1) * 4) != 0 ||
        vm_copy_out(vm, vector - 8, frame, 8) != 0)
        return -VP_ENOMEM;
    *sp = vector - 8;
    return 0;
}

int exec_load(struct vmspace *vm, const uint8_t *elf, uint32_t size, const char *name,
              const char *args, struct exec_image *out)
{
    int err = load_segments(vm, elf, size, out);
    if (!err)
        err = add_stack(vm);
    if (!err)
        err = push_arguments(vm, name, args, &out->stack_pointer);
    return err;
}
