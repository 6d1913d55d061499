; ksetjmp / klongjmp (kernel/ksetjmp.h): save and restore the callee-saved
; registers, the stack pointer and the return address.

section .text

global ksetjmp
ksetjmp:
    mov eax, [esp + 4]
    mov [eax + 0], ebx
    mov [eax + 4], esi
    mov [eax + 8], edi
    mov [eax + 12], ebp
    lea ecx, [esp + 4]          ; the stack pointer after our return
    mov [eax + 16], ecx
    mov ecx, [esp]              ; our return address
    mov [eax + 20], ecx
    xor eax, eax
    ret

global klongjmp
klongjmp:
    mov edx, [esp + 4]
    mov eax, [esp + 8]
    test eax, eax
    jnz .value_ok
    inc eax
.value_ok:
    mov ebx, [edx + 0]
    mov esi, [edx + 4]
    mov edi, [edx + 8]
    mov ebp, [edx + 12]
    mov esp, [edx + 16]
    jmp [edx + 20]

section .note.GNU-stack noalloc noexec nowrite progbits
