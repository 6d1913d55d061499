; v86_enter (kernel/v86.c): load the general registers of a struct
; v86_entry and IRET through the frame that follows them, into
; virtual-8086 mode. It never returns: the call ends by a trap.

section .text

global v86_enter
v86_enter:
    mov eax, [esp + 4]
    mov ebx, [eax + 4]
    mov ecx, [eax + 8]
    mov edx, [eax + 12]
    mov esi, [eax + 16]
    mov edi, [eax + 20]
    mov ebp, [eax + 24]
    lea esp, [eax + 28]         ; eip, cs, eflags, esp, ss, es, ds, fs, gs
    mov eax, [eax]
    iretd

section .note.GNU-stack noalloc noexec nowrite progbits
