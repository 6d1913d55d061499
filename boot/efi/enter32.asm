; Leave UEFI's long mode for the 32-bit protected mode a multiboot kernel
; expects, and enter the kernel. The loader copies this code (enter32,
; enter32_size bytes) into a page below 4 GiB and calls it there after
; exiting boot services, as
;     void enter32(uint32_t mbi, uint32_t entry);   (System V: edi, esi)
; It never returns. The code is position independent: RIP-relative while in
; long mode, registers only after that. The firmware's page tables map
; memory one to one, so turning paging off changes no address.

CODE32   equ 0x08
DATA32   equ 0x10
CR0_PG   equ 1 << 31
CR4_PAE  equ 1 << 5
MSR_EFER equ 0xC0000080
EFER_LME equ 1 << 8
MULTIBOOT_LOADER_MAGIC equ 0x2BADB002

section .text
bits 64
global enter32, enter32_size
enter32:
    cli
    mov ebx, edi                        ; multiboot information
    mov ebp, esi                        ; kernel entry
    lea rax, [rel gdt]
    mov [rel gdt_pointer + 2], rax      ; this copy's own address
    lgdt [rel gdt_pointer]
    lea rax, [rel compatibility]
    push CODE32
    push rax
    o64 retf                            ; to 32-bit compatibility mode

bits 32
compatibility:
    mov eax, cr0                        ; paging off: long mode ends with it
    and eax, ~CR0_PG
    mov cr0, eax
    mov ecx, MSR_EFER
    rdmsr
    and eax, ~EFER_LME
    wrmsr
    mov eax, cr4
    and eax, ~CR4_PAE                   ; the kernel builds 32-bit page tables
    mov cr4, eax
    mov eax, DATA32
    mov ds, eax
    mov es, eax
    mov fs, eax
    mov gs, eax
    mov ss, eax
    mov eax, MULTIBOOT_LOADER_MAGIC
    jmp ebp

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF               ; CODE32: flat 4 GiB, 32-bit, execute/read
    dq 0x00CF92000000FFFF               ; DATA32: flat 4 GiB, read/write
gdt_pointer:
    dw gdt_pointer - gdt - 1
    dq 0
enter32_end:

section .rodata
enter32_size:
    dd enter32_end - enter32

section .note.GNU-stack noalloc noexec nowrite progbits
