/* Every handler on every input: each one takes only the frames with its
 * own magic, so this one target reaches all five planted bugs (the
 * measure of `fwfuzz fuzz --keep-going`, docs/fwfuzz.md). */
#include <stddef.h>
#include <stdint.h>

#include "sensor/sensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sensor_checksum(data, size);
    sensor_calibrate(data, size);
    sensor_rename(data, size);
    sensor_command(data, size);
    sensor_records(data, size);
    return 0;
}
