; Program entry. The kernel starts a process with argc and argv on the
; stack (kernel/exec.c); call main(argc, argv) and exit with its result.

section .text
global _start
extern main
extern exit
_start:
    xor ebp, ebp                ; ends every backtrace
    mov eax, [esp]              ; argc
    mov ecx, [esp + 4]          ; argv
    push ecx
    push eax
    call main
    push eax
    call exit

section .note.GNU-stack noalloc noexec nowrite progbits
