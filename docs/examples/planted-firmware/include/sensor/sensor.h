/*
 * A sensor node's frame handlers with five planted bugs, one per handler:
 * the acceptance example of docs/emulation.md. Each handler takes one
 * frame and returns a value >= 0, or -1 when the frame is not for it.
 * Do not copy this code: every function here is wrong on purpose, unless
 * built with SENSOR_FIX_<HANDLER> (CMake: -DSENSOR_FIXED=checksum;... or
 * all), which selects the correct check for that handler.
 */
#ifndef SENSOR_H
#define SENSOR_H

#include <stddef.h>
#include <stdint.h>

/* "TL" | n | n bytes: the checksum of the n bytes. Reads 1 byte past. */
int sensor_checksum(const uint8_t *frame, size_t len);

/* "SC" | slot | value: stores a calibration value. Writes past a global. */
int sensor_calibrate(const uint8_t *frame, size_t len);

/* "NM" | n | n bytes: the node's name. Overflows a stack buffer. */
int sensor_rename(const uint8_t *frame, size_t len);

/* "CM" | command: runs a command. Reads through NULL for unknown ones. */
int sensor_command(const uint8_t *frame, size_t len);

/* "RL" | records: walks length-prefixed records. Never ends on a 0. */
int sensor_records(const uint8_t *frame, size_t len);

#endif
