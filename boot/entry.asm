; Multiboot entry. GRUB loads the kernel at 1 MiB with paging off; we turn
; on paging with a boot page directory that maps the first 8 MiB both at 0
; (so this code keeps running) and at KERNEL_VMA (where the C code is
; linked), then jump high and call kmain(magic, mbi).

MULTIBOOT_MAGIC      equ 0x1BADB002
MULTIBOOT_PAGE_ALIGN equ 1 << 0
MULTIBOOT_MEMORY     equ 1 << 1
MULTIBOOT_VIDEO      equ 1 << 2
MULTIBOOT_FLAGS      equ MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY | MULTIBOOT_VIDEO
VIDEO_LINEAR         equ 0
KERNEL_VMA           equ 0xC0000000
LARGE_PAGE           equ 0x83          ; present, writable, 4 MiB
CR0_PG_WP            equ 0x80010000
CR4_PSE              equ 0x10
BOOT_STACK_SIZE      equ 16384

section .multiboot progbits alloc noexec nowrite align=4
    dd MULTIBOOT_MAGIC, MULTIBOOT_FLAGS, -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
    dd 0, 0, 0, 0, 0                    ; address fields: unused for ELF
    dd VIDEO_LINEAR, 800, 600, 32       ; preferred mode

section .boot.data progbits alloc noexec write align=4096
global boot_page_directory
boot_page_directory:
    dd 0x000000 | LARGE_PAGE, 0x400000 | LARGE_PAGE
    times (KERNEL_VMA >> 22) - 2 dd 0
    dd 0x000000 | LARGE_PAGE, 0x400000 | LARGE_PAGE
    times 1024 - (KERNEL_VMA >> 22) - 2 dd 0

section .boot.text progbits alloc exec nowrite align=16
global _start
_start:
    cld
    mov ecx, cr4
    or ecx, CR4_PSE
    mov cr4, ecx
    mov ecx, boot_page_directory
    mov cr3, ecx
    mov ecx, cr0
    or ecx, CR0_PG_WP
    mov cr0, ecx
    mov ecx, higher_half
    jmp ecx

section .text
extern kmain
higher_half:
    mov esp, boot_stack_top
    xor ebp, ebp                        ; ends every backtrace
    push ebx                            ; multiboot information (physical)
    push eax                            ; multiboot magic
    call kmain
.halt:
    cli
    hlt
    jmp .halt

section .bss
align 16
global boot_stack_bottom
boot_stack_bottom:
    resb BOOT_STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
