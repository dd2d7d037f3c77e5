/* Loading the targets manifest, well-formed and malformed. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "manifest.h"

/* The shape cmake/FwfuzzManifest.cmake writes. */
static const char good[] =
    "{ \"version\": 1, \"source_dir\": \"/work/main\", \"build_dir\": "
    "\"/tmp/b0\",\n"
    "  \"targets\": [ {\"name\": \"ringbuf_parse\", \"component\": "
    "\"outside\",\n"
    "     \"source\": \"/tmp/outside/fuzz/fuzz_ringbuf_parse.c\",\n"
    "     \"libfuzzer\": \"/tmp/b0/bin/ringbuf_parse_libfuzzer\",\n"
    "     \"replay\": \"/tmp/b0/bin/ringbuf_parse_replay\",\n"
    "     \"afl\": null, \"corpus\": \"/tmp/outside/corpus\",\n"
    "     \"dict\": null, \"options\": null},\n"
    "   {\"name\": \"mqtt_decode\", \"component\": \"mqtt\",\n"
    "     \"source\": \"/w/targets/mqtt/fuzz/fuzz_mqtt_decode.c\",\n"
    "     \"libfuzzer\": \"/b/bin/mqtt_decode_libfuzzer\",\n"
    "     \"replay\": \"/b/bin/mqtt_decode_replay\",\n"
    "     \"afl\": \"/b/afl/bin/mqtt_decode_afl\", \"corpus\": "
    "\"/w/corpora/mqtt_decode\",\n"
    "     \"dict\": \"/w/corpora/mqtt_decode/mqtt_decode.dict\",\n"
    "     \"options\": \"/w/targets/mqtt/fuzz/mqtt_decode.options\"} ] }\n";

static void test_manifest_parses_generated_shape(void **state)
{
    struct manifest m;
    char err[256];
    const struct manifest_target *t;
    char *names;

    (void)state;
    assert_int_equal(manifest_parse(good, "m.json", &m, err, sizeof(err)), 0);
    assert_int_equal(m.n_targets, 2);
    assert_string_equal(m.build_dir, "/tmp/b0");
    t = manifest_find(&m, "ringbuf_parse");
    assert_non_null(t);
    assert_string_equal(t->component, "outside");
    assert_string_equal(t->libfuzzer, "/tmp/b0/bin/ringbuf_parse_libfuzzer");
    assert_null(t->afl);
    assert_null(t->dict);
    assert_null(t->options);
    t = manifest_find(&m, "mqtt_decode");
    assert_non_null(t);
    assert_string_equal(t->afl, "/b/afl/bin/mqtt_decode_afl");
    assert_string_equal(t->dict, "/w/corpora/mqtt_decode/mqtt_decode.dict");
    assert_null(manifest_find(&m, "nope"));
    names = manifest_names(&m);
    assert_string_equal(names, "ringbuf_parse, mqtt_decode");
    free(names);
    manifest_free(&m);
}

static void test_manifest_empty_target_list_is_valid(void **state)
{
    struct manifest m;
    char err[256];
    char *names;

    (void)state;
    assert_int_equal(manifest_parse("{\"version\": 1, \"targets\": []}", "m",
                                    &m, err, sizeof(err)),
                     0);
    assert_int_equal(m.n_targets, 0);
    names = manifest_names(&m);
    assert_string_equal(names, "(none)");
    free(names);
    manifest_free(&m);
}

/* Each malformed manifest is rejected with a message naming the problem. */
static void expect_reject(const char *text, const char *needle)
{
    struct manifest m;
    char err[512];

    err[0] = '\0';
    assert_int_equal(manifest_parse(text, "bad.json", &m, err, sizeof(err)),
                     -1);
    if (strstr(err, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err, needle);
    assert_non_null(strstr(err, "bad.json"));
    assert_int_equal(m.n_targets, 0);
    assert_null(m.targets);
}

#define T1(fields) "{\"version\": 1, \"targets\": [{" fields "}]}"
#define OK_FIELDS                                                              \
    "\"component\": \"c\", \"libfuzzer\": \"/l\", \"replay\": \"/r\", "        \
    "\"corpus\": \"/c\""

static void test_manifest_rejects_malformed(void **state)
{
    (void)state;
    expect_reject("", "not valid JSON");
    expect_reject("{\"version\": 1, \"targets\": [", "not valid JSON");
    expect_reject("[]", "top level must be an object");
    expect_reject("{\"targets\": []}", "\"version\" must be 1");
    expect_reject("{\"version\": 2, \"targets\": []}", "\"version\" must be 1");
    expect_reject("{\"version\": \"1\", \"targets\": []}",
                  "\"version\" must be 1");
    expect_reject("{\"version\": 1}", "\"targets\" must be an array");
    expect_reject("{\"version\": 1, \"targets\": {}}",
                  "\"targets\" must be an array");
    expect_reject("{\"version\": 1, \"targets\": [42]}",
                  "target #1: not an object");
    expect_reject(T1(OK_FIELDS), "target #1: missing \"name\"");
    expect_reject(T1("\"name\": 7, " OK_FIELDS), "\"name\" must be");
    expect_reject(T1("\"name\": \"\", " OK_FIELDS), "\"name\" must be");
    expect_reject(T1("\"name\": \"../x\", " OK_FIELDS), "name may hold only");
    expect_reject(T1("\"name\": \"a b\", " OK_FIELDS), "name may hold only");
    expect_reject(T1("\"name\": \"t\", \"component\": \"c\", \"replay\": "
                     "\"/r\", \"corpus\": \"/c\""),
                  "target \"t\": missing \"libfuzzer\"");
    expect_reject(T1("\"name\": \"t\", " OK_FIELDS ", \"afl\": 3"),
                  "\"afl\" must be a non-empty string or null");
    expect_reject(T1("\"name\": \"t\", " OK_FIELDS ", \"dict\": true"),
                  "\"dict\" must be");
    expect_reject("{\"version\": 1, \"targets\": [{\"name\": \"t\", " OK_FIELDS
                  "}, {\"name\": \"t\", " OK_FIELDS "}]}",
                  "target \"t\" is listed twice");
    expect_reject("{\"version\": 1, \"build_dir\": 5, \"targets\": []}",
                  "\"build_dir\" must be");
}

/* Builds with emulation add "bench", "bench_asan" and "emu". */
static const char with_emu[] =
    "{\"version\": 1, \"targets\": [\n"
    " {\"name\": \"coap_message\", \"component\": \"coap\",\n"
    "  \"libfuzzer\": \"/b/bin/coap_message_libfuzzer\",\n"
    "  \"replay\": \"/b/bin/coap_message_replay\", \"afl\": null,\n"
    "  \"bench\": \"/b/bin/coap_message_bench\",\n"
    "  \"bench_asan\": \"/b/bin/coap_message_bench_asan\",\n"
    "  \"emu\": {\"libfuzzer\": \"/b/bin/coap_message_emu_libfuzzer\",\n"
    "          \"afl\": \"/b/afl/bin/coap_message_emu_afl\",\n"
    "          \"replay\": \"/b/bin/coap_message_emu_replay\",\n"
    "          \"image\": \"/b/firmware/fwfuzz-fuzz.elf\",\n"
    "          \"image_plain\": \"/b/firmware/fwfuzz-fuzz-plain.elf\",\n"
    "          \"board\": \"/w/emu/boards/fwfuzz-m4.json\",\n"
    "          \"entry\": \"fwfuzz_entry_coap_message\"},\n"
    "  \"corpus\": \"/w/corpora/coap_message\", \"dict\": null, "
    "\"options\": null},\n"
    " {\"name\": \"plain\", \"component\": \"p\", \"libfuzzer\": \"/l\",\n"
    "  \"replay\": \"/r\", \"emu\": null, \"corpus\": \"/c\"}]}\n";

static void test_manifest_parses_emu_builds(void **state)
{
    struct manifest m;
    const struct manifest_target *t;
    char err[256];

    (void)state;
    assert_int_equal(manifest_parse(with_emu, "m.json", &m, err, sizeof(err)),
                     0);
    t = manifest_find(&m, "coap_message");
    assert_non_null(t);
    assert_string_equal(t->bench, "/b/bin/coap_message_bench");
    assert_string_equal(t->bench_asan, "/b/bin/coap_message_bench_asan");
    assert_non_null(t->emu);
    assert_string_equal(t->emu->libfuzzer, "/b/bin/coap_message_emu_libfuzzer");
    assert_string_equal(t->emu->afl, "/b/afl/bin/coap_message_emu_afl");
    assert_string_equal(t->emu->replay, "/b/bin/coap_message_emu_replay");
    assert_string_equal(t->emu->image, "/b/firmware/fwfuzz-fuzz.elf");
    assert_string_equal(t->emu->image_plain,
                        "/b/firmware/fwfuzz-fuzz-plain.elf");
    assert_string_equal(t->emu->board, "/w/emu/boards/fwfuzz-m4.json");
    assert_string_equal(t->emu->entry, "fwfuzz_entry_coap_message");
    t = manifest_find(&m, "plain");
    assert_non_null(t);
    assert_null(t->emu);
    assert_null(t->bench);
    assert_null(t->bench_asan);
    manifest_free(&m);
}

static void test_manifest_rejects_malformed_emu(void **state)
{
    (void)state;
    expect_reject(T1("\"name\": \"t\", " OK_FIELDS ", \"emu\": \"yes\""),
                  "\"emu\" must be an object or null");
    expect_reject(T1("\"name\": \"t\", " OK_FIELDS
                     ", \"emu\": {\"libfuzzer\": \"/l\", \"replay\": \"/r\", "
                     "\"image\": \"/i\", \"board\": \"/b\"}"),
                  "target \"t\", \"emu\": missing \"entry\"");
    expect_reject(T1("\"name\": \"t\", " OK_FIELDS
                     ", \"emu\": {\"libfuzzer\": \"/l\", \"replay\": \"/r\", "
                     "\"image\": 1, \"board\": \"/b\", \"entry\": \"e\"}"),
                  "\"image\" must be a non-empty string");
    expect_reject(
        T1("\"name\": \"t\", " OK_FIELDS
           ", \"emu\": {\"libfuzzer\": \"/l\", \"replay\": \"/r\", "
           "\"image\": \"/i\", \"image_plain\": [], \"board\": \"/b\", "
           "\"entry\": \"e\"}"),
        "\"image_plain\" must be a non-empty string");
    expect_reject(T1("\"name\": \"t\", " OK_FIELDS ", \"bench\": 5"),
                  "\"bench\" must be");
}

/* The shape fwfuzz_add_image_target writes (cmake/FwfuzzImageTarget.cmake):
 * a whole image, no native builds. */
#define IMAGE_EMU                                                              \
    "\"emu\": {\"libfuzzer\": \"/b/bin/img_emu_libfuzzer\", \"afl\": null, "   \
    "\"replay\": \"/b/bin/img_emu_replay\", \"image\": "                       \
    "\"/b/firmware/boot.elf\", "                                               \
    "\"image_plain\": null, \"board\": \"/w/emu/boards/img.json\", "           \
    "\"entry\": \"@reset\", \"load_addr\": null, "                             \
    "\"extra_images\": [\"/b/slot.img@0x8040000\", \"/b/cfg.bin@0x80f0000\"]}"
#define IMAGE_FIELDS                                                           \
    "\"name\": \"img\", \"kind\": \"image\", \"component\": \"img\", "         \
    "\"source\": null, \"libfuzzer\": null, \"replay\": null, \"afl\": null, " \
    "\"bench\": null, \"bench_asan\": null, \"cov\": null, \"corpus\": \"/c\""

static void test_manifest_parses_whole_image(void **state)
{
    struct manifest m;
    struct manifest_target view;
    const struct manifest_target *t;
    char err[256], why[256];

    (void)state;
    assert_int_equal(manifest_parse(T1(IMAGE_FIELDS ", " IMAGE_EMU), "m.json",
                                    &m, err, sizeof(err)),
                     0);
    t = manifest_find(&m, "img");
    assert_non_null(t);
    assert_true(t->whole_image);
    assert_false(manifest_has_native(t));
    assert_null(t->libfuzzer);
    assert_null(t->replay);
    assert_string_equal(t->emu->entry, "@reset");
    assert_null(t->emu->load_addr);
    assert_string_equal(t->emu->extra_images,
                        "/b/slot.img@0x8040000,/b/cfg.bin@0x80f0000");
    /* native is refused with a reason; emu is the emulated builds */
    assert_int_equal(
        engine_mode_target(t, FW_MODE_NATIVE, &view, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "img is a whole firmware image"));
    assert_int_equal(
        engine_mode_target(t, FW_MODE_EMU, &view, why, sizeof(why)), 0);
    assert_string_equal(view.libfuzzer, "/b/bin/img_emu_libfuzzer");
    assert_string_equal(view.replay, "/b/bin/img_emu_replay");
    manifest_free(&m);
    /* a fuzz target (no "kind", or "function") has native builds */
    assert_int_equal(manifest_parse(good, "m.json", &m, err, sizeof(err)), 0);
    assert_false(m.targets[0].whole_image);
    assert_true(manifest_has_native(&m.targets[0]));
    manifest_free(&m);
}

static void test_manifest_rejects_malformed_image(void **state)
{
    (void)state;
    expect_reject(T1("\"name\": \"t\", \"kind\": \"board\", " OK_FIELDS),
                  "\"kind\" is \"board\", not \"function\" or \"image\"");
    /* a fuzz target still needs its native builds */
    expect_reject(T1("\"name\": \"t\", \"component\": \"c\", \"replay\": "
                     "\"/r\", \"corpus\": \"/c\""),
                  "missing \"libfuzzer\"");
    /* a whole image needs emulated ones, and has no native ones */
    expect_reject(T1(IMAGE_FIELDS), "a whole image (\"kind\": \"image\") "
                                    "needs \"emu\"");
    expect_reject(
        T1("\"name\": \"img\", \"kind\": \"image\", \"component\": \"img\", "
           "\"libfuzzer\": \"/l\", \"corpus\": \"/c\", " IMAGE_EMU),
        "has no native builds");
    expect_reject(T1(IMAGE_FIELDS
                     ", \"emu\": {\"libfuzzer\": \"/l\", \"replay\": \"/r\", "
                     "\"image\": \"/i\", \"board\": \"/b\", \"entry\": "
                     "\"@reset\", \"extra_images\": [\"/slot.img\"]}"),
                  "\"extra_images\" must be an array of \"file@address\"");
}

/* fwfuzz fuzz/run/replay --mode emu hand the engines a view of the target
 * whose builds are the emulated ones. */
static void test_manifest_emu_view(void **state)
{
    struct manifest m;
    struct manifest_target view;
    const struct manifest_target *t;
    char err[256], why[256];

    (void)state;
    assert_int_equal(manifest_parse(with_emu, "m.json", &m, err, sizeof(err)),
                     0);
    t = manifest_find(&m, "coap_message");
    assert_int_equal(
        engine_mode_target(t, FW_MODE_NATIVE, &view, why, sizeof(why)), 0);
    assert_string_equal(view.libfuzzer, "/b/bin/coap_message_libfuzzer");
    assert_null(view.afl);
    assert_int_equal(
        engine_mode_target(t, FW_MODE_EMU, &view, why, sizeof(why)), 0);
    assert_string_equal(view.name, "coap_message");
    assert_string_equal(view.libfuzzer, "/b/bin/coap_message_emu_libfuzzer");
    assert_string_equal(view.afl, "/b/afl/bin/coap_message_emu_afl");
    assert_string_equal(view.replay, "/b/bin/coap_message_emu_replay");
    assert_string_equal(view.corpus, "/w/corpora/coap_message");
    t = manifest_find(&m, "plain");
    assert_int_equal(
        engine_mode_target(t, FW_MODE_EMU, &view, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "plain: no emulated builds"));
    manifest_free(&m);
}

static void test_manifest_load_missing_file(void **state)
{
    struct manifest m;
    char err[512];

    (void)state;
    assert_int_equal(
        manifest_load("/nonexistent/fwfuzz-targets.json", &m, err, sizeof(err)),
        -1);
    assert_non_null(strstr(err, "/nonexistent/fwfuzz-targets.json"));
    assert_non_null(strstr(err, "No such file"));
}

static void test_manifest_load_reads_file(void **state)
{
    char path[] = "/tmp/test_fwfuzz_manifest.XXXXXX";
    struct manifest m;
    char err[512];
    int fd = mkstemp(path);
    FILE *f;

    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(good, f);
    fclose(f);
    assert_int_equal(manifest_load(path, &m, err, sizeof(err)), 0);
    assert_int_equal(m.n_targets, 2);
    assert_string_equal(m.path, path);
    manifest_free(&m);
    remove(path);
}

static void test_manifest_default_path_from_env(void **state)
{
    (void)state;
    setenv("FWFUZZ_MANIFEST", "/x/y.json", 1);
    assert_string_equal(manifest_default_path(), "/x/y.json");
    setenv("FWFUZZ_MANIFEST", "", 1);
    assert_string_not_equal(manifest_default_path(), "");
    unsetenv("FWFUZZ_MANIFEST");
    assert_non_null(strstr(manifest_default_path(), "fwfuzz-targets.json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_parses_generated_shape),
        cmocka_unit_test(test_manifest_empty_target_list_is_valid),
        cmocka_unit_test(test_manifest_rejects_malformed),
        cmocka_unit_test(test_manifest_parses_emu_builds),
        cmocka_unit_test(test_manifest_rejects_malformed_emu),
        cmocka_unit_test(test_manifest_emu_view),
        cmocka_unit_test(test_manifest_parses_whole_image),
        cmocka_unit_test(test_manifest_rejects_malformed_image),
        cmocka_unit_test(test_manifest_load_missing_file),
        cmocka_unit_test(test_manifest_load_reads_file),
        cmocka_unit_test(test_manifest_default_path_from_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
