; Trap entry stubs: every vector pushes an error code (a zero where the CPU
; pushes none) and its number, so trap_common sees one frame layout
; (struct trap_frame in kernel/trap.h).

section .text

%macro TRAP_NO_ERROR 1
trap_stub_%1:
    push dword 0
    push dword %1
    jmp trap_common
%endmacro

%macro TRAP_WITH_ERROR 1
trap_stub_%1:
    push dword %1
    jmp trap_common
%endmacro

; Vectors for which the CPU pushes an error code.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign v 0
%rep 48
%if HAS_ERROR(v)
    TRAP_WITH_ERROR v
%else
    TRAP_NO_ERROR v
%endif
%assign v v + 1
%endrep

global trap_stub_syscall
trap_stub_syscall:
    push dword 0
    push dword 0x80
    jmp trap_common

; The local APIC's own vectors: each CPU's timer, then the interrupts
; the CPUs send each other (kernel/trap.h).
%macro LOCAL_APIC_STUB 2
global trap_stub_%1
trap_stub_%1:
    push dword 0
    push dword %2
    jmp trap_common
%endmacro
LOCAL_APIC_STUB apic_timer, 0xF0
LOCAL_APIC_STUB tlb_shootdown, 0xF1
LOCAL_APIC_STUB reschedule, 0xF2
LOCAL_APIC_STUB wake, 0xF3

; A local APIC's spurious interrupt needs nothing, not even an EOI.
global trap_stub_apic_spurious
trap_stub_apic_spurious:
    iret

extern trap_dispatch

trap_common:
    pusha
    push ds
    push es
    push fs
    push gs
    mov ax, 0x10                ; kernel data segment
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov ax, 0x30                ; this CPU's struct cpu (GDT_THIS_CPU)
    mov gs, ax
    cld
    push esp                    ; struct trap_frame *
    call trap_dispatch
    add esp, 4
    jmp trap_exit

; A new process's first run (kernel/sched.c): ended at once if it was
; killed before it ever ran, else it returns to user mode through its frame.
extern sched_first_run
global new_process_entry
new_process_entry:
    call sched_first_run
global trap_exit
trap_exit:
    pop gs
    pop fs
    pop es
    pop ds
    popa
    add esp, 8                  ; vector and error code
    iret

section .rodata
global trap_stubs
trap_stubs:
%assign v 0
%rep 48
    dd trap_stub_%+v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
