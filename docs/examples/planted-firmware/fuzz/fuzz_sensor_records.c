#include <stddef.h>
#include <stdint.h>

#include "sensor/sensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sensor_records(data, size);
    return 0;
}
