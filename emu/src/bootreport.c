/*
 * The boot's report for people (emu_boot_describe): how far a whole image
 * got from reset, what it printed, and where and why it stopped.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emu/boot.h"
#include "internal.h"

struct text {
    char *buf;
    size_t len, at;
};

static void say(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->at + 1 >= t->len)
        return;
    va_start(ap, fmt);
    n = vsnprintf(t->buf + t->at, t->len - t->at, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->at = t->at + (size_t)n < t->len ? t->at + (size_t)n : t->len - 1;
}

static void say_where(struct text *t, struct emu *e, uint32_t addr)
{
    struct emu_location loc;

    say(t, "0x%08" PRIx32, addr);
    if (emu_locate(e, addr, &loc) != EMU_OK)
        return;
    say(t, " (%s+0x%" PRIx32, loc.function, loc.offset);
    if (loc.file != NULL)
        say(t, ", %s:%d", loc.file, loc.line);
    say(t, ")");
}

static const char *end_name(enum emu_boot_end end)
{
    switch (end) {
    case EMU_BOOT_WAITING:
        return "waits for input";
    case EMU_BOOT_STUCK:
        return "stuck";
    case EMU_BOOT_IDLE:
        return "idle with nothing to wake it";
    case EMU_BOOT_FAULT:
        return "faulted";
    case EMU_BOOT_BUDGET:
        return "still running when the boot budget ran out";
    case EMU_BOOT_RESET:
        return "asked for a reset";
    }
    return "?";
}

size_t emu_boot_summary(struct emu *e, const struct emu_boot_report *r,
                        char *buf, size_t len)
{
    struct text t = {buf, len, 0};
    char line[256];

    if (buf == NULL || len == 0)
        return 0;
    buf[0] = '\0';
    say(&t, "boot: %s after %" PRIu64 " blocks at ", end_name(r->end),
        r->blocks);
    say_where(&t, e, r->pc);
    if (r->end == EMU_BOOT_FAULT) {
        emu_summary(e, &r->res, line, sizeof(line));
        say(&t, ": %s", line);
    } else if (r->end == EMU_BOOT_STUCK && r->reg_reads > 0) {
        say(&t, ": it keeps reading 0x%08" PRIx32 " (0x%08" PRIx32 ")", r->reg,
            r->reg_value);
    }
    return t.at;
}

/* The UART output, printable, one line per line it sent. */
static void say_uart(struct text *t, const struct emu_boot_report *r)
{
    size_t i;

    say(t, "uart output (%zu bytes%s):\n", r->uart_total,
        r->uart_total > r->uart_len ? ", the first ones" : "");
    if (r->uart_len == 0) {
        say(t, "  (none)\n");
        return;
    }
    say(t, "  | ");
    for (i = 0; i < r->uart_len; i++) {
        uint8_t c = r->uart[i];

        if (c == '\n')
            say(t, "\n  | ");
        else if (c == '\r')
            continue;
        else if (c >= 0x20 && c < 0x7F)
            say(t, "%c", c);
        else
            say(t, "\\x%02x", c);
    }
    say(t, "\n");
}

static void say_enabled(struct text *t, const struct emu_boot_report *r)
{
    int n, any = 0;

    say(t, "enabled interrupts:");
    for (n = 16; n < 256; n++)
        if ((r->enabled[n / 32] >> (n % 32)) & 1) {
            say(t, " IRQ%d", n - 16);
            any = 1;
        }
    say(t, any ? "\n" : " none\n");
}

size_t emu_boot_describe(struct emu *e, const struct emu_boot_report *r,
                         char *buf, size_t len)
{
    struct text t = {buf, len, 0};
    char tmp[8192];
    unsigned i;

    if (buf == NULL || len == 0)
        return 0;
    buf[0] = '\0';
    if (e == NULL || r == NULL)
        return 0;
    t.at = emu_boot_summary(e, r, buf, len);
    say(&t,
        "\nvector table at 0x%08" PRIx32 ": initial SP 0x%08" PRIx32 ", reset ",
        r->vtor, r->initial_sp);
    say_where(&t, e, r->reset_vector & ~1u);
    say(&t, "\n");
    say_uart(&t, r);
    for (i = 0; i < r->nmodels; i++) {
        const struct emu_boot_model *m = &r->models[i];

        if (m->pc == 0 && m->mask != 0) {
            say(&t,
                "model found: 0x%08" PRIx32 ": only bits 0x%08" PRIx32
                " change what runs: the input gives those (by trial)\n",
                m->addr, m->mask);
        } else if (m->pc == 0) {
            say(&t,
                "model found: 0x%08" PRIx32 " reads 0x%08" PRIx32
                ": its value changes nothing that runs (by trial)\n",
                m->addr, m->value);
        } else {
            say(&t,
                "model found: 0x%08" PRIx32 " reads 0x%08" PRIx32
                " (polled at ",
                m->addr, m->value);
            say_where(&t, e, m->pc);
            say(&t, ", block %" PRIu64 ")\n", m->at_block);
        }
    }
    switch (r->end) {
    case EMU_BOOT_WAITING:
        if (r->reg_reads > 0 && r->reg_is_uart)
            say(&t, "it polls the UART (0x%08" PRIx32 ") at ", r->reg);
        else
            say(&t, "it sleeps (WFI) waiting for an interrupt at ");
        say_where(&t, e, r->pc);
        say(&t, "\nthe snapshot is taken here: each run starts from it, "
                "its input arriving on the UART\n");
        say_enabled(&t, r);
        if (!(r->reg_reads > 0 && r->reg_is_uart) && r->uart_irq < 0)
            say(&t, "warning: it sleeps with interrupts enabled but the "
                    "board names no UART interrupt (uart.irq): no byte of "
                    "the input will reach an interrupt-driven UART\n");
        break;
    case EMU_BOOT_STUCK:
    case EMU_BOOT_BUDGET:
        say(&t,
            "it loops in 0x%08" PRIx32 "-0x%08" PRIx32
            " without reaching new code\n",
            r->loop_lo, r->loop_hi);
        say(&t, "  loop at ");
        say_where(&t, e, r->pc);
        say(&t, "\n");
        if (r->reg_reads > 0) {
            say(&t, "  it keeps reading 0x%08" PRIx32 " at ", r->reg);
            say_where(&t, e, r->reg_pc);
            say(&t, ": %u reads, the last gave 0x%08" PRIx32 "\n", r->reg_reads,
                r->reg_value);
            if (r->auto_models)
                say(&t, "  no value the boot tried (all ones, zero, one, "
                        "each single bit set or clear) leads out of the loop: "
                        "the register may need a \"bits\" or \"input\" "
                        "model, an interrupt, or another register read "
                        "before the loop is wrong (a missing model there)\n");
            else
                say(&t, "  the boot did not look for a value that leads out "
                        "(boot.auto_models is false)\n");
            say(&t,
                "  to give it a value, add to the board's \"models\": "
                "{\"addr\": \"0x%08" PRIx32 "\", \"kind\": \"const\", "
                "\"value\": \"0x...\"}\n",
                r->reg);
        } else {
            say(&t, "  it reads no peripheral register in the loop: a "
                    "busy-wait on RAM, an error handler, or a long "
                    "computation (raise boot.budget_blocks if so)\n");
        }
        break;
    case EMU_BOOT_IDLE:
        say(&t, "it sleeps (WFI/WFE) at ");
        say_where(&t, e, r->pc);
        say(&t, " and no interrupt is enabled that could wake it\n");
        say_enabled(&t, r);
        say(&t, "  if it waits for its UART, name the UART's interrupt line "
                "in the board: \"uart\": {..., \"irq\": N}\n");
        break;
    case EMU_BOOT_FAULT:
        emu_describe(e, &r->res, tmp, sizeof(tmp));
        say(&t, "%s", tmp);
        break;
    case EMU_BOOT_RESET:
        say(&t, "it wrote AIRCR.SYSRESETREQ before waiting for input: a "
                "watchdog or a failed check in its start-up?\n");
        break;
    }
    return t.at;
}
