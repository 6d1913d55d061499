; Where every processor but the first begins (kernel/smp.c). A start-up
; IPI starts a CPU in real mode at AP_START_BASE, to which the kernel has
; copied the bytes from ap_start to ap_start_end, with ap_start_mailbox
; filled in. The code is position-independent for that reason: each
; address it uses is an offset from ap_start plus AP_START_BASE. It goes
; to protected mode on a flat GDT of its own, turns paging on with the
; boot page directory (which maps the first 8 MiB at 0, where this code
; runs, and at the kernel's address), and jumps to the kernel's address,
; where it takes the kernel's page directory and its own stack and calls
; ap_main(index).

AP_START_BASE equ 0x8000              ; kernel/smp.h: AP_START_PAGE * 4096
CODE_SELECTOR equ 0x08
DATA_SELECTOR equ 0x10
CR0_PE        equ 1
CR0_PG_WP     equ 0x80010000
CR4_PSE       equ 0x10

%define HERE(label) ((label) - ap_start + AP_START_BASE)

extern boot_page_directory
extern ap_main

section .text
bits 16
global ap_start
ap_start:
    cli
    cld
    mov ax, cs                        ; CS is AP_START_BASE / 16
    mov ds, ax
    lgdt [start_gdt_pointer - ap_start]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword CODE_SELECTOR:HERE(protected)

bits 32
protected:
    mov ax, DATA_SELECTOR
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, CR4_PSE
    mov cr4, eax
    mov eax, boot_page_directory      ; linked at its physical address
    mov cr3, eax
    mov eax, cr0
    or eax, CR0_PG_WP
    mov cr0, eax
    mov ecx, [HERE(mailbox_directory)]
    mov esp, [HERE(mailbox_stack)]
    mov ebx, [HERE(mailbox_index)]
    mov eax, higher_half
    jmp eax

align 8
start_gdt:
    dq 0
    dq 0x00CF9A000000FFFF             ; flat code
    dq 0x00CF92000000FFFF             ; flat data
start_gdt_pointer:
    dw start_gdt_pointer - start_gdt - 1
    dd HERE(start_gdt)

; Filled in by the kernel for each CPU it starts (struct ap_mailbox).
align 4
global ap_start_mailbox
ap_start_mailbox:
mailbox_directory: dd 0               ; physical address of the page directory
mailbox_stack:     dd 0               ; top of the CPU's kernel stack
mailbox_index:     dd 0               ; its index among the CPUs
global ap_start_end
ap_start_end:

; Runs at the kernel's address now; the boot page directory is left for
; the kernel's own, which no longer maps this code at 0.
higher_half:
    mov cr3, ecx
    xor ebp, ebp                      ; ends every backtrace
    push ebx
    call ap_main
.halt:
    cli
    hlt
    jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
