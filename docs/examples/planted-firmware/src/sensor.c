#include <string.h>

#include "sensor/sensor.h"

static int has_magic(const uint8_t *frame, size_t len, const char magic[2])
{
    return len >= 2 && frame[0] == (uint8_t)magic[0] &&
           frame[1] == (uint8_t)magic[1];
}

int sensor_checksum(const uint8_t *frame, size_t len)
{
    size_t n, i;
    int sum = 0;

    if (!has_magic(frame, len, "TL") || len < 3)
        return -1;
    n = frame[2];
#ifdef SENSOR_FIX_CHECKSUM
    if (3 + n > len)
        return -1;
#else
    /* Planted: the bound should be 3 + n <= len. */
    if (3 + n > len + 1)
        return -1;
#endif
    for (i = 0; i < n; i++)
        sum += frame[3 + i];
    return sum & 0xFF;
}

/* Global, so that the compiler cannot drop the stores nobody reads here. */
#define CALIBRATION_SLOTS 8
uint8_t sensor_calibration[CALIBRATION_SLOTS];
uint8_t sensor_calibration_count;

int sensor_calibrate(const uint8_t *frame, size_t len)
{
    uint8_t slot;

    if (!has_magic(frame, len, "SC") || len < 4)
        return -1;
    slot = frame[2];
#ifdef SENSOR_FIX_CALIBRATE
    if (slot >= CALIBRATION_SLOTS)
        return -1;
#else
    /* Planted: the bound should be slot < CALIBRATION_SLOTS. */
    if (slot > CALIBRATION_SLOTS)
        return -1;
#endif
    sensor_calibration[slot] = frame[3];
    sensor_calibration_count++;
    return sensor_calibration_count;
}

int sensor_rename(const uint8_t *frame, size_t len)
{
    char name[16];
    size_t n;

    if (!has_magic(frame, len, "NM") || len < 3)
        return -1;
    n = frame[2];
#ifdef SENSOR_FIX_RENAME
    if (n > sizeof(name) || 3 + n > len)
        return -1;
#else
    /* Planted: 32 is the protocol's limit, the buffer holds 16. */
    if (n > 32 || 3 + n > len)
        return -1;
#endif
    memcpy(name, frame + 3, n);
    return name[0] + (int)n;
}

struct command {
    uint8_t code;
    int (*run)(void);
    int weight;
};

static int command_reset(void)
{
    return 1;
}

static int command_sleep(void)
{
    return 2;
}

static const struct command commands[] = {
    {'R', command_reset, 10},
    {'S', command_sleep, 20},
};

static const struct command *find_command(uint8_t code)
{
    size_t i;

    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (commands[i].code == code)
            return &commands[i];
    return NULL;
}

int sensor_command(const uint8_t *frame, size_t len)
{
    const struct command *c;

    if (!has_magic(frame, len, "CM") || len < 3)
        return -1;
    c = find_command(frame[2]);
#ifdef SENSOR_FIX_COMMAND
    if (c == NULL)
        return -1;
#endif
    /* Planted: c is NULL for an unknown command and never checked. */
    if (len > 3 && frame[3] == '!')
        return c->weight;
    return c != NULL ? c->run() : -1;
}

int sensor_records(const uint8_t *frame, size_t len)
{
    size_t off = 2;
    int count = 0;

    if (!has_magic(frame, len, "RL"))
        return -1;
    while (off < len) {
        uint8_t n = frame[off];

#ifndef SENSOR_FIX_RECORDS
        /* Planted: a record of length 0 never moves off forward. */
        if (n == 0 && off + 1 < len && frame[off + 1] != 0)
            continue;
#endif
        off += n == 0 ? 1 : n;
        count++;
    }
    return count;
}
