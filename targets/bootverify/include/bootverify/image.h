/* Secure-boot image format and single-image verification (bootv_). */
#ifndef BOOTVERIFY_IMAGE_H
#define BOOTVERIFY_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Wire format (docs/image-format.md is the full description). All integers
 * are little-endian. An image is, with no gaps and nothing after it:
 *
 *   header (header_size bytes) | body (image_size bytes) |
 *   protected TLV area | unprotected TLV area
 *
 * SHA-256 covers header, body and the protected TLV area; the Ed25519
 * signature is over that 32-byte digest.
 */

/* Fixed header fields: byte offsets. */
#define BOOTV_OFF_MAGIC       0  /* u32 BOOTV_MAGIC */
#define BOOTV_OFF_HEADER_SIZE 4  /* u16 header_size, body starts here */
#define BOOTV_OFF_RESERVED    6  /* u16, must be 0 */
#define BOOTV_OFF_IMAGE_SIZE  8  /* u32 body length */
#define BOOTV_OFF_LOAD_ADDR   12 /* u32 load address */
#define BOOTV_OFF_VER_MAJOR   16 /* u8 */
#define BOOTV_OFF_VER_MINOR   17 /* u8 */
#define BOOTV_OFF_VER_PATCH   18 /* u16 */
#define BOOTV_OFF_VER_BUILD   20 /* u32 */
#define BOOTV_OFF_COUNTER     24 /* u32 security counter */
#define BOOTV_OFF_FLAGS       28 /* u32 BOOTV_FLAG_* */

#define BOOTV_MAGIC        0x56425746u /* bytes 46 57 42 56, "FWBV" */
#define BOOTV_HEADER_LEN   32          /* fixed fields; minimum header_size */
#define BOOTV_HEADER_MAX   1024        /* maximum header_size */
#define BOOTV_HEADER_ALIGN 4           /* header_size is a multiple of this */

/* Header flags; every other bit must be 0. */
#define BOOTV_FLAG_LOADER 0x00000001u /* verifies a next stage: NEXT_KEYS */
#define BOOTV_FLAG_DEBUG  0x00000002u /* debug build, see allow_debug */
#define BOOTV_FLAGS_KNOWN 0x00000003u

/* TLV areas: u16 magic, u16 total length (this 4-byte header included). */
#define BOOTV_TLV_AREA_HDR_LEN 4
#define BOOTV_PROT_MAGIC       0x7B50u /* protected area: hashed, signed */
#define BOOTV_UNPROT_MAGIC     0x7B55u /* unprotected area: not hashed */

/* TLV entry: u16 type, u16 value length, value. */
#define BOOTV_TLV_HDR_LEN  4
#define BOOTV_TLV_CRITICAL 0x8000u /* unknown type with this bit: reject */

#define BOOTV_TLV_HW_ID     0x8001u /* protected, 16 bytes */
#define BOOTV_TLV_NEXT_KEYS 0x8002u /* protected, 32 * n, 1 <= n <= 4 */
#define BOOTV_TLV_SHA256    0x0010u /* unprotected, 32 bytes */
#define BOOTV_TLV_KEY_HASH  0x0011u /* unprotected, SHA-256 of public key */
#define BOOTV_TLV_ED25519   0x0012u /* unprotected, 64-byte signature */

#define BOOTV_MAX_TLVS 16 /* entries in both areas together */
/*
 * Header and both TLV areas together: the verifier copies them to its
 * stack, reads the image once and parses only the copy (a header of
 * BOOTV_HEADER_MAX bytes leaves 512 for both areas, their headers included).
 * A verification then needs about 5.6 KiB of stack on a Cortex-M4.
 */
#define BOOTV_META_MAX      1536
#define BOOTV_MAX_NEXT_KEYS 4
#define BOOTV_HW_ID_LEN     16
#define BOOTV_KEY_LEN       32
#define BOOTV_HASH_LEN      32
#define BOOTV_SIG_LEN       64

/*
 * Verdicts. Far apart in Hamming distance so that neither a zeroed nor a
 * partly written word reads as accept. Anything but BOOTV_ACCEPT is reject.
 */
#define BOOTV_ACCEPT 0x3CA5965Au
#define BOOTV_REJECT 0xC35A69A5u

/* bootv_device.allow_debug: only this exact value allows debug images. */
#define BOOTV_ALLOW_DEBUG 0x5A3C0FF0u

/* Error codes. Every failure leaves the verdict at BOOTV_REJECT. */
#define BOOTV_OK                  0
#define BOOTV_ERR_PARAM           (-1)  /* NULL argument, no keys */
#define BOOTV_ERR_TRUNCATED       (-2)  /* input ends inside a declared part */
#define BOOTV_ERR_BAD_MAGIC       (-3)  /* header magic (or chain magic) */
#define BOOTV_ERR_HEADER_SIZE     (-4)  /* header_size out of range/align */
#define BOOTV_ERR_RESERVED        (-5)  /* reserved field or padding not 0 */
#define BOOTV_ERR_FLAGS           (-6)  /* unknown flag bit set */
#define BOOTV_ERR_LOAD_ADDR       (-7)  /* load_addr + image_size > 2^32-1 */
#define BOOTV_ERR_TLV_AREA        (-8)  /* area magic, or total length < 4 */
#define BOOTV_ERR_TLV_BOUNDS      (-9)  /* entry runs past its area */
#define BOOTV_ERR_TLV_LEN         (-10) /* known type with a wrong length */
#define BOOTV_ERR_TLV_PLACEMENT   (-11) /* known type in the wrong area */
#define BOOTV_ERR_TLV_COUNT       (-12) /* more than BOOTV_MAX_TLVS */
#define BOOTV_ERR_DUPLICATE_TLV   (-13) /* a type appears twice */
#define BOOTV_ERR_UNKNOWN_TLV     (-14) /* unknown type, critical bit set */
#define BOOTV_ERR_MISSING_TLV     (-15) /* a required TLV is absent */
#define BOOTV_ERR_UNEXPECTED_TLV  (-16) /* NEXT_KEYS without LOADER flag */
#define BOOTV_ERR_TRAILING        (-17) /* bytes after the last area */
#define BOOTV_ERR_HASH            (-18) /* SHA-256 TLV does not match */
#define BOOTV_ERR_UNKNOWN_KEY     (-19) /* KEY_HASH names no provisioned key */
#define BOOTV_ERR_SIGNATURE       (-20) /* Ed25519 verification failed */
#define BOOTV_ERR_KEY_NOT_ALLOWED (-21) /* signer not listed by prev stage */
#define BOOTV_ERR_HW_ID           (-22) /* HW_ID differs from the device's */
#define BOOTV_ERR_ROLLBACK        (-23) /* security counter below stored */
#define BOOTV_ERR_DEBUG           (-24) /* DEBUG flag, debug not allowed */
#define BOOTV_ERR_CHAIN_COUNT     (-25) /* chain: bad image/stage count */
#define BOOTV_ERR_CHAIN_LOADER    (-26) /* chain: LOADER flag out of place */
#define BOOTV_ERR_TOO_LARGE       (-27) /* header + TLV areas > META_MAX */
#define BOOTV_ERR_FAULT                                                        \
    (-28) /* the two computations of a check                                   \
             disagree: a glitch, not data */

/* A provisioned Ed25519 public key (owned by the caller). */
struct bootv_key {
    uint8_t pub[BOOTV_KEY_LEN];
};

/* What one boot stage trusts: its keys and its stored rollback counter. */
struct bootv_stage {
    const struct bootv_key *keys; /* key_count keys, must not be NULL */
    size_t key_count;             /* at least 1 */
    uint32_t security_counter;    /* images with a lower counter fail */
};

/* What identifies the device; shared by every stage. */
struct bootv_device {
    uint8_t hw_id[BOOTV_HW_ID_LEN];
    uint32_t allow_debug; /* BOOTV_ALLOW_DEBUG, or anything else for no */
};

struct bootv_version {
    uint8_t major;
    uint8_t minor;
    uint16_t patch;
    uint32_t build;
};

struct bootv_header {
    uint16_t header_size;
    uint32_t image_size;
    uint32_t load_addr;
    struct bootv_version version;
    uint32_t security_counter;
    uint32_t flags;
};

/*
 * Filled on accept; all zero on reject. Pointers point into the image
 * buffer, which stays owned by the caller; the verifier decided from its
 * own copy, so reading through them reads the image again (the caller's
 * memory must not have changed: see bootv_verify_image).
 */
struct bootv_image_info {
    struct bootv_header hdr;
    const uint8_t *body;      /* hdr.image_size bytes (non-NULL if size 0) */
    size_t key_index;         /* index in stage->keys of the signer */
    const uint8_t *next_keys; /* next_key_count SHA-256 key hashes, or NULL */
    size_t next_key_count;    /* 0 unless BOOTV_FLAG_LOADER */
};

/*
 * Verifies one image of exactly len bytes against the keys and counter of
 * stage and the identity of dev. The checks run in this order, and the
 * first failure is returned: structure (header, TLV areas, required TLVs),
 * hash, key lookup, signature, hardware id, security counter, debug flag.
 *
 * Each byte of img is read at most once (img may be a flash slot that
 * changes under the verifier): the header and the TLV areas are copied to
 * the stack (at most BOOTV_META_MAX bytes, else BOOTV_ERR_TOO_LARGE) and
 * every decision is made from that copy; the digest is computed over the
 * copy's header and protected area and the body read from img. The body a
 * caller then boots is still img's: it must be the bytes that were hashed.
 *
 * verdict must not be NULL: it is set to BOOTV_REJECT first, and to
 * BOOTV_ACCEPT only when every check passed. info may be NULL.
 *
 * Every check after the structure is computed twice (the signature is
 * verified twice) and the verdict is computed from all of them, so that a
 * single glitch of the CPU (one instruction skipped, one register read as
 * 0) cannot turn a failed check into accept (docs/glitch.md). A caller
 * must check both the return value and the verdict, and re-read the
 * verdict right before acting on it.
 *
 * Returns BOOTV_OK (verdict BOOTV_ACCEPT) or a negative BOOTV_ERR_* code
 * (verdict BOOTV_REJECT): any of PARAM through DEBUG above except
 * KEY_NOT_ALLOWED, TOO_LARGE, or FAULT (not the CHAIN codes; FAULT only
 * when the CPU was glitched). Without a non-NULL verdict it returns
 * BOOTV_ERR_PARAM and writes nothing.
 */
int bootv_verify_image(const uint8_t *img, size_t len,
                       const struct bootv_stage *stage,
                       const struct bootv_device *dev, uint32_t *verdict,
                       struct bootv_image_info *info);

/*
 * The length of the image at the start of buf[0..len), which may go on
 * past it (a flash slot): the header's header_size and image_size, then
 * the lengths of the two TLV area headers, each checked against what is
 * left of buf. Only finds where the image ends; bootv_verify_image on
 * buf[0..*img_len) then checks everything. img_len must not be NULL; it is
 * set to 0 on failure.
 *
 * Returns BOOTV_OK, or BOOTV_ERR_PARAM (a NULL argument),
 * BOOTV_ERR_TRUNCATED, BOOTV_ERR_BAD_MAGIC (also erased flash, no image)
 * or BOOTV_ERR_TLV_AREA (an area length below its own header).
 */
int bootv_image_length(const uint8_t *buf, size_t len, size_t *img_len);

#endif
