/*
 * The Cortex-M system around Unicorn's core, for whole images: the system
 * control space (NVIC, SCB, SysTick) served as MMIO, exception entry and
 * return as the ARMv6-M/ARMv7-M architecture manuals describe them, and
 * which pending exception is taken when. Unicorn 2.0.1 leaves all of it to
 * the embedder: it raises intno 2 on SVC and 8 on a branch to an
 * EXC_RETURN value, and nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "emu/boot.h"
#include "internal.h"

/* Exception numbers. */
enum {
    EXC_NMI = 2,
    EXC_HARDFAULT = 3,
    EXC_MEMMANAGE = 4,
    EXC_BUSFAULT = 5,
    EXC_USAGEFAULT = 6,
    EXC_SVCALL = 11,
    EXC_PENDSV = 14,
    EXC_SYSTICK = 15,
    EXC_IRQ0 = 16,
};

/* System control space registers (offsets from 0xE000E000). */
#define SCS_BASE     0xE000E000u
#define SCS_ICTR     0x004u
#define SCS_SYST_CSR 0x010u
#define SCS_SYST_RVR 0x014u
#define SCS_SYST_CVR 0x018u
#define SCS_SYST_CAL 0x01Cu
#define SCS_ISER     0x100u
#define SCS_ICER     0x180u
#define SCS_ISPR     0x200u
#define SCS_ICPR     0x280u
#define SCS_IABR     0x300u
#define SCS_IPR      0x400u
#define SCS_IPR_END  0x4F0u
#define SCS_CPUID    0xD00u
#define SCS_ICSR     0xD04u
#define SCS_VTOR     0xD08u
#define SCS_AIRCR    0xD0Cu
#define SCS_SCR      0xD10u
#define SCS_CCR      0xD14u
#define SCS_SHPR     0xD18u
#define SCS_SHPR_END 0xD24u
#define SCS_SHCSR    0xD24u
#define SCS_CFSR     0xD28u
#define SCS_HFSR     0xD2Cu
#define SCS_MMFAR    0xD34u
#define SCS_BFAR     0xD38u
#define SCS_CPACR    0xD88u
#define SCS_STIR     0xF00u
#define DWT_CYCCNT   0xE0001004u

#define ICSR_PENDSTCLR  (1u << 25)
#define ICSR_PENDSTSET  (1u << 26)
#define ICSR_PENDSVCLR  (1u << 27)
#define ICSR_PENDSVSET  (1u << 28)
#define ICSR_NMIPENDSET (1u << 31)
#define AIRCR_VECTKEY   0x05FA0000u
#define AIRCR_SYSRESET  (1u << 2)
#define CCR_STKALIGN    (1u << 9)
#define SYST_ENABLE     (1u << 0)
#define SYST_TICKINT    (1u << 1)
#define SYST_COUNTFLAG  (1u << 16)
#define CONTROL_SPSEL   (1u << 1)
#define CONTROL_FPCA    (1u << 2)
#define XPSR_ALIGN      (1u << 9)

#define EXC_RETURN_BASE   0xFFFFFFE1u
#define EXC_RETURN_NO_FP  (1u << 4)
#define EXC_RETURN_THREAD (1u << 3)
#define EXC_RETURN_PSP    (1u << 2)
#define PRIO_THREAD       256 /* below every configurable priority */

static int bit(const uint32_t *set, int n)
{
    return (set[n >> 5] >> (n & 31)) & 1;
}

static void set_bit(uint32_t *set, int n, int v)
{
    if (v)
        set[n >> 5] |= 1u << (n & 31);
    else
        set[n >> 5] &= ~(1u << (n & 31));
}

static int nexc(const struct emu *e)
{
    return EXC_IRQ0 + (int)e->board->image.irqs;
}

uint64_t emu_sys_now(const struct emu *e)
{
    return e->sys.t0 + e->run.blocks;
}

static uint32_t cpuid(const struct emu *e)
{
    switch (e->board->cpu_model) {
    case UC_CPU_ARM_CORTEX_M0:
        return 0x410CC200u;
    case UC_CPU_ARM_CORTEX_M3:
        return 0x412FC231u;
    case UC_CPU_ARM_CORTEX_M7:
        return 0x411FC272u;
    default:
        return 0x410FC241u; /* Cortex-M4 r0p1 */
    }
}

/* Priority of exception n as the NVIC orders them (group and sub). */
static int prio_of(const struct emu *e, int n)
{
    if (n == EXC_NMI)
        return -2;
    if (n == EXC_HARDFAULT)
        return -1;
    return e->sys.prio[n];
}

/* The group priority only: what preemption compares. */
static int group_of(const struct emu *e, int p)
{
    unsigned g = (e->sys.aircr >> 8) & 7;

    if (p < 0)
        return p;
    return (int)((unsigned)p >> (g + 1) << (g + 1));
}

static int is_enabled(const struct emu *e, int n)
{
    switch (n) {
    case EXC_NMI:
    case EXC_HARDFAULT:
    case EXC_SVCALL:
    case EXC_PENDSV:
    case EXC_SYSTICK:
        return 1;
    case EXC_MEMMANAGE:
        return (e->sys.shcsr >> 16) & 1;
    case EXC_BUSFAULT:
        return (e->sys.shcsr >> 17) & 1;
    case EXC_USAGEFAULT:
        return (e->sys.shcsr >> 18) & 1;
    default:
        return n >= EXC_IRQ0 && n < nexc(e) && bit(e->sys.enabled, n);
    }
}

/* The running priority: active exceptions and the mask registers. */
static int running_priority(struct emu *e)
{
    int ids[3] = {UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK};
    uint32_t v[3] = {0, 0, 0};
    void *vals[3] = {&v[0], &v[1], &v[2]};
    int p = PRIO_THREAD, n, w;

    for (w = 0; w < EMU_EXC_MAX / 32; w++) {
        uint32_t a = e->sys.active[w];

        while (a != 0) {
            n = w * 32 + __builtin_ctz(a);
            a &= a - 1;
            if (group_of(e, prio_of(e, n)) < p)
                p = group_of(e, prio_of(e, n));
        }
    }
    if (uc_reg_read_batch(e->uc, ids, vals, 3) != UC_ERR_OK)
        return p;
    if ((v[1] & 0xFF) != 0 && group_of(e, (int)(v[1] & 0xFF)) < p)
        p = group_of(e, (int)(v[1] & 0xFF));
    if ((v[0] & 1) && p > 0)
        p = 0;
    if ((v[2] & 1) && p > -1)
        p = -1;
    return p;
}

int emu_sys_next_exception(struct emu *e)
{
    int best = 0, best_p = 0, n, w, run_p;

    for (w = 0; w < EMU_EXC_MAX / 32; w++) {
        uint32_t pend = e->sys.pending[w];

        while (pend != 0) {
            n = w * 32 + __builtin_ctz(pend);
            pend &= pend - 1;
            if (!is_enabled(e, n))
                continue;
            if (best == 0 || prio_of(e, n) < best_p) {
                best = n;
                best_p = prio_of(e, n);
            }
        }
    }
    if (best == 0) {
        e->whole.irq_due = 0;
        return 0;
    }
    run_p = running_priority(e);
    /* Masked: look again at every block until it is not (CPSIE). */
    return group_of(e, best_p) < run_p ? best : 0;
}

void emu_sys_recheck(struct emu *e)
{
    e->whole.irq_due = 1;
    e->whole.sys_next = e->run.blocks;
}

void emu_sys_pend(struct emu *e, int exc)
{
    if (exc <= 0 || exc >= nexc(e))
        return;
    set_bit(e->sys.pending, exc, 1);
    emu_sys_recheck(e);
}

/* Guest RAM through the host mapping; the page is marked to restore. */
static int stack_write(struct emu *e, uint32_t addr, const uint32_t *w,
                       unsigned n)
{
    uint8_t *p = emu_mem_host(e, addr, n * 4);
    unsigned i;

    if (p == NULL || emu_mem_find(e, addr)->kind != EMU_KIND_RAM)
        return -1;
    for (i = 0; i < n; i++) {
        p[4 * i] = (uint8_t)w[i];
        p[4 * i + 1] = (uint8_t)(w[i] >> 8);
        p[4 * i + 2] = (uint8_t)(w[i] >> 16);
        p[4 * i + 3] = (uint8_t)(w[i] >> 24);
    }
    emu_mem_mark_dirty(e, addr, n * 4);
    return 0;
}

static int stack_read(struct emu *e, uint32_t addr, uint32_t *w, unsigned n)
{
    const uint8_t *p = emu_mem_host(e, addr, n * 4);
    unsigned i;

    if (p == NULL)
        return -1;
    for (i = 0; i < n; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    return 0;
}

static int fpu_regs(int first, int *ids)
{
    int i;

    for (i = 0; i < 16; i++)
        ids[i] = UC_ARM_REG_S0 + first + i;
    return 16;
}

/*
 * Sets the mode (handler when ipsr != 0), the SP selection and both
 * stack pointers. MSR to MSP, PSP and CONTROL are ignored in unprivileged
 * thread mode and SPSEL only changes in thread mode (QEMU's rules): set
 * CONTROL privileged first, then the mode, then the pointers, then the
 * caller's CONTROL.
 */
static uc_err set_mode(struct emu *e, uint32_t ipsr, uint32_t control,
                       uint32_t msp, uint32_t psp)
{
    uint32_t priv = control & ~1u, handler_ctl = control & ~CONTROL_SPSEL;
    uc_err err;

    if ((err = uc_reg_write(e->uc, UC_ARM_REG_CONTROL, &handler_ctl)))
        return err;
    if ((err = uc_reg_write(e->uc, UC_ARM_REG_IPSR, &ipsr)))
        return err;
    if (ipsr == 0 &&
        (err = uc_reg_write(e->uc, UC_ARM_REG_CONTROL, &priv)) != UC_ERR_OK)
        return err;
    if ((err = uc_reg_write(e->uc, UC_ARM_REG_MSP, &msp)) ||
        (err = uc_reg_write(e->uc, UC_ARM_REG_PSP, &psp)))
        return err;
    if (ipsr == 0)
        return uc_reg_write(e->uc, UC_ARM_REG_CONTROL, &control);
    return UC_ERR_OK;
}

static void sys_fault(struct emu *e, enum emu_fault f, uint32_t pc,
                      uint32_t addr, uint32_t detail)
{
    emu_run_stop(e, EMU_STOP_FAULT, f, pc, addr, 0, 1);
    e->run.res->detail = detail;
}

/* Pushes the frame and enters exc's handler (PC is written: Unicorn
 * stops and the run loop resumes there). */
int emu_sys_enter(struct emu *e, int exc)
{
    int ids[11] = {UC_ARM_REG_R0,  UC_ARM_REG_R1,   UC_ARM_REG_R2,
                   UC_ARM_REG_R3,  UC_ARM_REG_R12,  UC_ARM_REG_LR,
                   UC_ARM_REG_PC,  UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL,
                   UC_ARM_REG_MSP, UC_ARM_REG_PSP};
    uint32_t r[11], frame[26], vec = 0, sp, excret, ipsr;
    void *vals[11];
    int fids[16], i, fp, on_psp;
    unsigned nwords;

    for (i = 0; i < 11; i++)
        vals[i] = &r[i];
    if (uc_reg_read_batch(e->uc, ids, vals, 11) != UC_ERR_OK) {
        emu_run_abort(e, "reading registers at an exception", UC_ERR_ARG);
        return EMU_ERR_UNICORN;
    }
    ipsr = r[7] & 0x1FF;
    fp = (r[8] & CONTROL_FPCA) != 0;
    on_psp = ipsr == 0 && (r[8] & CONTROL_SPSEL);
    sp = on_psp ? r[10] : r[9];
    nwords = fp ? 26 : 8;
    memcpy(frame, r, 7 * sizeof(uint32_t));
    frame[7] = r[7] & ~XPSR_ALIGN;
    if ((sp & 4) && (fp || (e->sys.ccr & CCR_STKALIGN)))
        frame[7] |= XPSR_ALIGN;
    sp = (sp - nwords * 4) & ~7u;
    if (fp) {
        void *fv[17];
        int fi[17];

        fpu_regs(0, fids);
        for (i = 0; i < 16; i++) {
            fi[i] = fids[i];
            fv[i] = &frame[8 + i];
        }
        fi[16] = UC_ARM_REG_FPSCR;
        fv[16] = &frame[24];
        frame[25] = 0;
        if (uc_reg_read_batch(e->uc, fi, fv, 17) != UC_ERR_OK)
            memset(&frame[8], 0, 18 * sizeof(uint32_t));
    }
    if (stack_write(e, sp, frame, nwords) != 0) {
        /* Stacking hit memory that is not RAM: the stack overflowed. */
        sys_fault(e, EMU_FAULT_STACK_OVERFLOW, r[6], sp, (uint32_t)exc);
        return EMU_OK;
    }
    if (stack_read(e, e->sys.vtor + 4u * (uint32_t)exc, &vec, 1) != 0 ||
        (vec & ~1u) == 0) {
        /* No handler: the part would lock up; this is where it stops. */
        sys_fault(e, EMU_FAULT_HARDFAULT, r[6],
                  e->sys.vtor + 4u * (uint32_t)exc, (uint32_t)exc);
        return EMU_OK;
    }
    /* 0xFFFFFFF1 / F9 / FD, or E1 / E9 / ED with the FP frame */
    excret = EXC_RETURN_BASE | (fp ? 0 : EXC_RETURN_NO_FP) |
             (ipsr == 0 ? EXC_RETURN_THREAD : 0) |
             (on_psp ? EXC_RETURN_PSP : 0);
    if (set_mode(e, (uint32_t)exc, r[8] & ~CONTROL_FPCA, on_psp ? r[9] : sp,
                 on_psp ? sp : r[10]) != UC_ERR_OK ||
        uc_reg_write(e->uc, UC_ARM_REG_LR, &excret) != UC_ERR_OK) {
        emu_run_abort(e, "entering an exception", UC_ERR_ARG);
        return EMU_ERR_UNICORN;
    }
    vec |= 1u;
    if (uc_reg_write(e->uc, UC_ARM_REG_PC, &vec) != UC_ERR_OK) {
        emu_run_abort(e, "entering an exception", UC_ERR_ARG);
        return EMU_ERR_UNICORN;
    }
    set_bit(e->sys.pending, exc, 0);
    set_bit(e->sys.active, exc, 1);
    e->whole.redirected = 1;
    emu_sys_recheck(e);
    return EMU_OK;
}

/* A branch to EXC_RETURN in handler mode (intno 8): unstack. */
void emu_sys_exception_return(struct emu *e, uint32_t excret)
{
    int ids[3] = {UC_ARM_REG_CONTROL, UC_ARM_REG_MSP, UC_ARM_REG_PSP};
    uint32_t r[3], frame[26], ipsr = 0, sp, msp, psp, pc;
    void *vals[3] = {&r[0], &r[1], &r[2]};
    int gids[8] = {UC_ARM_REG_R0, UC_ARM_REG_R1,  UC_ARM_REG_R2,
                   UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR,
                   UC_ARM_REG_PC, UC_ARM_REG_XPSR};
    void *gv[8];
    int cur = 0, i, fp, to_thread, to_psp;
    unsigned nwords;

    excret |= 1u;
    if (uc_reg_read_batch(e->uc, ids, vals, 3) != UC_ERR_OK ||
        uc_reg_read(e->uc, UC_ARM_REG_IPSR, &ipsr) != UC_ERR_OK) {
        emu_run_abort(e, "reading registers at an exception return",
                      UC_ERR_ARG);
        return;
    }
    cur = (int)(ipsr & 0x1FF);
    fp = (excret & EXC_RETURN_NO_FP) == 0;
    to_thread = (excret & EXC_RETURN_THREAD) != 0;
    to_psp = (excret & EXC_RETURN_PSP) != 0;
    if ((excret & 0xFFFFFFE0u) != 0xFFFFFFE0u || (to_psp && !to_thread) ||
        (excret & 0xFu) == 0x5u || cur == 0 || !bit(e->sys.active, cur)) {
        /* An illegal EXC_RETURN is a UsageFault (INVPC) on the part. */
        sys_fault(e, EMU_FAULT_HARDFAULT, excret, excret,
                  0x100u | (uint32_t)cur);
        return;
    }
    msp = r[1];
    psp = r[2];
    sp = to_psp ? psp : msp;
    nwords = fp ? 26 : 8;
    if (stack_read(e, sp, frame, nwords) != 0) {
        sys_fault(e, EMU_FAULT_UNMAPPED_READ, excret, sp, (uint32_t)cur);
        return;
    }
    set_bit(e->sys.active, cur, 0);
    sp += nwords * 4;
    if (frame[7] & XPSR_ALIGN)
        sp += 4;
    if (to_psp)
        psp = sp;
    else
        msp = sp;
    r[0] = to_thread ? (r[0] & ~CONTROL_SPSEL) | (to_psp ? CONTROL_SPSEL : 0)
                     : r[0];
    r[0] = fp ? r[0] | CONTROL_FPCA : r[0] & ~CONTROL_FPCA;
    ipsr = to_thread ? 0 : frame[7] & 0x1FF;
    if (set_mode(e, ipsr, r[0], msp, psp) != UC_ERR_OK) {
        emu_run_abort(e, "returning from an exception", UC_ERR_ARG);
        return;
    }
    if (fp) {
        int fi[17];
        void *fv[17];

        fpu_regs(0, fi);
        for (i = 0; i < 16; i++)
            fv[i] = &frame[8 + i];
        fi[16] = UC_ARM_REG_FPSCR;
        fv[16] = &frame[24];
        (void)uc_reg_write_batch(e->uc, fi, fv, 17);
    }
    pc = frame[6] | 1u;
    frame[6] = pc;
    frame[7] = (frame[7] & ~(XPSR_ALIGN | 0x1FFu)) | ipsr;
    for (i = 0; i < 8; i++)
        gv[i] = &frame[i];
    /* xPSR first: its write must not undo PC's Thumb bit. */
    if (uc_reg_write(e->uc, UC_ARM_REG_XPSR, &frame[7]) != UC_ERR_OK ||
        uc_reg_write_batch(e->uc, gids, gv, 7) != UC_ERR_OK) {
        emu_run_abort(e, "returning from an exception", UC_ERR_ARG);
        return;
    }
    e->whole.redirected = 1;
    emu_sys_recheck(e);
}

/* SVC (intno 2, PC past the instruction): SVCall now, or HardFault when
 * the running priority does not allow it, as on the part. */
void emu_sys_svc(struct emu *e)
{
    uint32_t pc = 0;

    set_bit(e->sys.pending, EXC_SVCALL, 1);
    if (group_of(e, prio_of(e, EXC_SVCALL)) >= running_priority(e)) {
        (void)uc_reg_read(e->uc, UC_ARM_REG_PC, &pc);
        set_bit(e->sys.pending, EXC_SVCALL, 0);
        sys_fault(e, EMU_FAULT_HARDFAULT, pc - 2, 0, EXC_SVCALL);
        return;
    }
    (void)emu_sys_enter(e, EXC_SVCALL);
}

static void syst_restart(struct emu *e)
{
    uint64_t period = (uint64_t)((e->sys.syst_rvr & 0xFFFFFF) + 1) /
                      e->board->image.cycles_per_block;

    e->sys.syst_period = period > 0 ? period : 1;
    e->sys.syst_next = (e->sys.syst_csr & SYST_ENABLE) && e->sys.syst_rvr != 0
                           ? emu_sys_now(e) + e->sys.syst_period
                           : UINT64_MAX;
    emu_sys_recheck(e);
}

void emu_sys_reset(struct emu *e)
{
    memset(&e->sys, 0, sizeof(e->sys));
    e->sys.vtor = e->board->image.vtor;
    e->sys.ccr = CCR_STKALIGN;
    e->sys.aircr = 0xFA050000u;
    e->sys.syst_next = UINT64_MAX;
    e->sys.irq_next =
        e->board->image.irq_every ? e->board->image.irq_every : UINT64_MAX;
}

/* The enabled external lines, for an input-chosen interrupt. */
static int pick_enabled_irq(struct emu *e, unsigned choice, int skip)
{
    int n, count = 0;

    for (n = EXC_IRQ0; n < nexc(e); n++)
        if (bit(e->sys.enabled, n) && n != skip)
            count++;
    if (count == 0)
        return 0;
    choice %= (unsigned)count + 1;
    if (choice == 0)
        return 0; /* the input chose none */
    for (n = EXC_IRQ0; n < nexc(e); n++)
        if (bit(e->sys.enabled, n) && n != skip && --choice == 0)
            return n;
    return 0;
}

static int uart_exc(const struct emu *e)
{
    return e->board->image.uart.irq >= 0 ? EXC_IRQ0 + e->board->image.uart.irq
                                         : 0;
}

void emu_sys_due(struct emu *e)
{
    uint64_t now = emu_sys_now(e), next;
    uint32_t b;

    while (now >= e->sys.syst_next) {
        e->sys.syst_csr |= SYST_COUNTFLAG;
        if (e->sys.syst_csr & SYST_TICKINT)
            emu_sys_pend(e, EXC_SYSTICK);
        e->sys.syst_next += e->sys.syst_period;
    }
    if (now >= e->sys.irq_next) {
        e->sys.irq_next = now + e->board->image.irq_every;
        if (!e->whole.booting && emu_input_take(e, 1, &b) == 0) {
            int n = pick_enabled_irq(e, b, uart_exc(e));

            if (n != 0)
                emu_sys_pend(e, n);
        }
    }
    next =
        e->sys.syst_next < e->sys.irq_next ? e->sys.syst_next : e->sys.irq_next;
    e->whole.sys_next = e->whole.irq_due     ? e->run.blocks
                        : next == UINT64_MAX ? UINT64_MAX
                                             : next - e->sys.t0;
}

int emu_sys_idle(struct emu *e)
{
    int uart = uart_exc(e);
    uint32_t b;

    if (emu_sys_next_exception(e) != 0)
        return 1;
    if (uart != 0 && is_enabled(e, uart) && emu_uart_rx_waiting(e)) {
        emu_sys_pend(e, uart);
        return 1;
    }
    if (e->sys.syst_next != UINT64_MAX && (e->sys.syst_csr & SYST_TICKINT)) {
        /* Sleep until the tick: time jumps there. */
        uint64_t now = emu_sys_now(e);

        if (e->sys.syst_next > now)
            e->sys.t0 += e->sys.syst_next - now;
        emu_sys_due(e);
        return 1;
    }
    if (!e->whole.booting && emu_input_take(e, 1, &b) == 0) {
        int n = pick_enabled_irq(e, b | 0x100u, 0);

        if (n != 0) {
            emu_sys_pend(e, n);
            return 1;
        }
    }
    return 0;
}

static uint32_t syst_cvr(struct emu *e)
{
    uint64_t left;

    if (e->sys.syst_next == UINT64_MAX)
        return 0;
    left =
        (e->sys.syst_next - emu_sys_now(e)) * e->board->image.cycles_per_block;
    return left > (e->sys.syst_rvr & 0xFFFFFF) ? e->sys.syst_rvr & 0xFFFFFF
                                               : (uint32_t)left;
}

/* Word w of a 32-line NVIC bank: exceptions 16 + 32w .. */
static uint32_t irq_word(const uint32_t *set, unsigned w)
{
    unsigned first = EXC_IRQ0 + 32 * w;
    uint32_t v = 0;
    unsigned i;

    for (i = 0; i < 32 && first + i < EMU_EXC_MAX; i++)
        if (bit(set, (int)(first + i)))
            v |= 1u << i;
    return v;
}

static void irq_word_set(struct emu *e, uint32_t *set, unsigned w, uint32_t v,
                         int to)
{
    unsigned i;

    for (i = 0; i < 32; i++) {
        int n = EXC_IRQ0 + (int)(32 * w + i);

        if ((v >> i) & 1 && n < nexc(e))
            set_bit(set, n, to);
    }
    emu_sys_recheck(e);
}

static uint32_t scs_read(struct emu *e, uint32_t off)
{
    uint32_t v = 0;
    int n;

    if (off >= SCS_ISER && off < SCS_ISER + 0x40)
        return irq_word(e->sys.enabled, (off - SCS_ISER) / 4);
    if (off >= SCS_ICER && off < SCS_ICER + 0x40)
        return irq_word(e->sys.enabled, (off - SCS_ICER) / 4);
    if (off >= SCS_ISPR && off < SCS_ISPR + 0x40)
        return irq_word(e->sys.pending, (off - SCS_ISPR) / 4);
    if (off >= SCS_ICPR && off < SCS_ICPR + 0x40)
        return irq_word(e->sys.pending, (off - SCS_ICPR) / 4);
    if (off >= SCS_IABR && off < SCS_IABR + 0x40)
        return irq_word(e->sys.active, (off - SCS_IABR) / 4);
    if (off >= SCS_IPR && off < SCS_IPR_END) {
        unsigned i;

        for (i = 0; i < 4; i++)
            if (EXC_IRQ0 + off - SCS_IPR + i < EMU_EXC_MAX)
                v |= (uint32_t)e->sys.prio[EXC_IRQ0 + off - SCS_IPR + i]
                     << (8 * i);
        return v;
    }
    if (off >= SCS_SHPR && off < SCS_SHPR_END)
        return (uint32_t)e->sys.prio[4 + off - SCS_SHPR] |
               (uint32_t)e->sys.prio[5 + off - SCS_SHPR] << 8 |
               (uint32_t)e->sys.prio[6 + off - SCS_SHPR] << 16 |
               (uint32_t)e->sys.prio[7 + off - SCS_SHPR] << 24;
    switch (off) {
    case SCS_ICTR:
        return (e->board->image.irqs + 31) / 32 - 1;
    case SCS_SYST_CSR:
        v = e->sys.syst_csr;
        e->sys.syst_csr &= ~SYST_COUNTFLAG;
        return v;
    case SCS_SYST_RVR:
        return e->sys.syst_rvr;
    case SCS_SYST_CVR:
        return syst_cvr(e);
    case SCS_SYST_CAL:
        return 0x40000000u; /* no reference clock, no 10 ms value */
    case SCS_CPUID:
        return cpuid(e);
    case SCS_ICSR:
        for (n = 0; n < EMU_EXC_MAX; n++)
            if (bit(e->sys.active, n))
                v = (uint32_t)n; /* VECTACTIVE, roughly: the highest */
        for (n = 1; n < nexc(e); n++)
            if (bit(e->sys.pending, n) && is_enabled(e, n)) {
                v |= (uint32_t)n << 12 | 1u << 22;
                break;
            }
        if (bit(e->sys.pending, EXC_PENDSV))
            v |= ICSR_PENDSVSET;
        if (bit(e->sys.pending, EXC_SYSTICK))
            v |= ICSR_PENDSTSET;
        return v;
    case SCS_VTOR:
        return e->sys.vtor;
    case SCS_AIRCR:
        return (e->sys.aircr & 0x700u) | 0xFA050000u;
    case SCS_SCR:
        return e->sys.scr;
    case SCS_CCR:
        return e->sys.ccr;
    case SCS_SHCSR:
        return e->sys.shcsr;
    case SCS_CFSR:
        return e->sys.cfsr;
    case SCS_HFSR:
        return e->sys.hfsr;
    case SCS_MMFAR:
        return e->sys.mmfar;
    case SCS_BFAR:
        return e->sys.bfar;
    case SCS_CPACR:
        return e->sys.cpacr;
    default:
        return 0;
    }
}

static void scs_write(struct emu *e, uint32_t off, uint32_t v)
{
    if (off >= SCS_ISER && off < SCS_ISER + 0x40) {
        irq_word_set(e, e->sys.enabled, (off - SCS_ISER) / 4, v, 1);
    } else if (off >= SCS_ICER && off < SCS_ICER + 0x40) {
        irq_word_set(e, e->sys.enabled, (off - SCS_ICER) / 4, v, 0);
    } else if (off >= SCS_ISPR && off < SCS_ISPR + 0x40) {
        irq_word_set(e, e->sys.pending, (off - SCS_ISPR) / 4, v, 1);
    } else if (off >= SCS_ICPR && off < SCS_ICPR + 0x40) {
        irq_word_set(e, e->sys.pending, (off - SCS_ICPR) / 4, v, 0);
    } else if (off >= SCS_IPR && off < SCS_IPR_END) {
        unsigned i;

        for (i = 0; i < 4; i++)
            if (EXC_IRQ0 + off - SCS_IPR + i < EMU_EXC_MAX)
                e->sys.prio[EXC_IRQ0 + off - SCS_IPR + i] =
                    (uint8_t)(v >> (8 * i));
        emu_sys_recheck(e);
    } else if (off >= SCS_SHPR && off < SCS_SHPR_END) {
        unsigned i;

        for (i = 0; i < 4; i++)
            e->sys.prio[4 + off - SCS_SHPR + i] = (uint8_t)(v >> (8 * i));
        emu_sys_recheck(e);
    } else {
        switch (off) {
        case SCS_SYST_CSR:
            e->sys.syst_csr = (e->sys.syst_csr & SYST_COUNTFLAG) | (v & 7);
            syst_restart(e);
            break;
        case SCS_SYST_RVR:
            e->sys.syst_rvr = v & 0xFFFFFF;
            break;
        case SCS_SYST_CVR:
            e->sys.syst_csr &= ~SYST_COUNTFLAG;
            syst_restart(e);
            break;
        case SCS_ICSR:
            if (v & ICSR_PENDSVSET)
                emu_sys_pend(e, EXC_PENDSV);
            if (v & ICSR_PENDSVCLR)
                set_bit(e->sys.pending, EXC_PENDSV, 0);
            if (v & ICSR_PENDSTSET)
                emu_sys_pend(e, EXC_SYSTICK);
            if (v & ICSR_PENDSTCLR)
                set_bit(e->sys.pending, EXC_SYSTICK, 0);
            if (v & ICSR_NMIPENDSET)
                emu_sys_pend(e, EXC_NMI);
            break;
        case SCS_VTOR:
            e->sys.vtor = v & ~0x7Fu;
            break;
        case SCS_AIRCR:
            if ((v & 0xFFFF0000u) != AIRCR_VECTKEY)
                break; /* without the key the write is ignored */
            e->sys.aircr = (e->sys.aircr & ~0x700u) | (v & 0x700u);
            if (v & AIRCR_SYSRESET) {
                e->sys.reset_request = 1;
                e->whole.want_stop = 1;
                e->whole.sys_next = e->run.blocks;
                uc_emu_stop(e->uc);
            }
            emu_sys_recheck(e);
            break;
        case SCS_SCR:
            e->sys.scr = v & 0x16;
            break;
        case SCS_CCR:
            e->sys.ccr = v & 0x31B;
            break;
        case SCS_SHCSR:
            e->sys.shcsr = v & 0x70000u;
            emu_sys_recheck(e);
            break;
        case SCS_CFSR:
            e->sys.cfsr &= ~v; /* write one to clear */
            break;
        case SCS_HFSR:
            e->sys.hfsr &= ~v;
            break;
        case SCS_CPACR:
            e->sys.cpacr = v;
            break;
        case SCS_STIR:
            emu_sys_pend(e, EXC_IRQ0 + (int)(v & 0x1FF));
            break;
        default:
            break;
        }
    }
}

uint64_t emu_sys_read(struct emu *e, uint32_t addr, unsigned size)
{
    uint32_t v;

    if (addr == DWT_CYCCNT)
        v = (uint32_t)(emu_sys_now(e) * e->board->image.cycles_per_block);
    else if (addr - SCS_BASE < 0x1000u)
        v = scs_read(e, (addr - SCS_BASE) & ~3u) >> (8 * (addr & 3));
    else
        v = 0; /* ITM, DWT, FPB, TPIU: nothing to see */
    return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

void emu_sys_write(struct emu *e, uint32_t addr, unsigned size, uint32_t v)
{
    uint32_t off = addr - SCS_BASE;

    if (off >= 0x1000u)
        return;
    if (size < 4 && off >= SCS_IPR && off < SCS_IPR_END) {
        /* Byte writes to the priority registers are the usual ones. */
        unsigned i;

        for (i = 0; i < size; i++)
            if (EXC_IRQ0 + off - SCS_IPR + i < EMU_EXC_MAX)
                e->sys.prio[EXC_IRQ0 + off - SCS_IPR + i] =
                    (uint8_t)(v >> (8 * i));
        emu_sys_recheck(e);
        return;
    }
    if (size < 4 && off >= SCS_SHPR && off < SCS_SHPR_END) {
        unsigned i;

        for (i = 0; i < size; i++)
            e->sys.prio[4 + off - SCS_SHPR + i] = (uint8_t)(v >> (8 * i));
        emu_sys_recheck(e);
        return;
    }
    scs_write(e, off & ~3u, v << (8 * (off & 3)));
}
