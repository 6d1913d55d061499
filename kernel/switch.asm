; context_switch(uint32_t *save_esp, uint32_t load_esp): save the callee-
; saved registers on the current stack, store its stack pointer, switch to
; the other stack and restore its registers. The return lands wherever that
; context last called context_switch (or at its prepared entry point).

section .text
global context_switch
context_switch:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
