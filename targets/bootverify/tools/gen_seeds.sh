#!/bin/sh
# Regenerates the seed corpora of bootverify_image and bootverify_chain with
# fwsign. Reproducible: the TEST keys are fixed, Ed25519 signatures are
# deterministic and the bodies are fixed patterns, so a rerun rewrites the
# same bytes.
#
#   gen_seeds.sh FWSIGN CORPORA_DIR
#   (or: cmake --build <build> --target bootverify_seeds)
#
# Every seed starts with the fuzz target's mode byte (docs/image-format.md,
# "Fuzz inputs"); 00 means: no fix-up, stored counters 0, no debug, device
# hw id = TEST hw id.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 FWSIGN CORPORA_DIR" >&2
    exit 1
fi
FWSIGN=$1
IMG=$2/bootverify_image/seed
CHAIN=$2/bootverify_chain/seed
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$IMG" "$CHAIN"

# body NAME SIZE: a fixed text pattern of SIZE bytes.
body() {
    yes "fwfuzz bootverify seed body $1" | head -c "$2" > "$TMP/$1.body"
}

# sign OUT BODY ARGS...: an image signed by fwsign.
sign() {
    out=$1
    b=$2
    shift 2
    "$FWSIGN" image -o "$TMP/$out" --body "$TMP/$b.body" "$@"
}

# seed MODE SRC DEST: DEST = mode byte + SRC (written via a temporary name).
seed() {
    { printf "\\$(printf %03o "$1")"; cat "$TMP/$2"; } > "$3.tmp"
    mv "$3.tmp" "$3"
}

# flip FILE OFFSET: xor one byte of FILE with 0x01.
flip() {
    b=$(od -An -tu1 -j "$2" -N 1 "$TMP/$1" | tr -d ' ')
    printf "\\$(printf %03o $((b ^ 1)))" |
        dd of="$TMP/$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

body empty 0
body tiny 32
body small 256
body mid 1000
body big 65536

# --- bootverify_image: the device trusts TEST keys 0 and 1 -------------
sign app_v1 small --test-key 0 --version 1.0.0+1 --counter 1 \
    --load-addr 0x08004000
sign app_v2_key1 mid --test-key 1 --version 2.3.4+56 --counter 5 \
    --load-addr 0x08010000
sign empty empty --test-key 0 --version 0.0.0 --counter 0 --load-addr 0
sign big big --test-key 0 --version 3.0.0+7 --counter 9 \
    --load-addr 0x08020000
sign loader small --test-key 0 --version 1.1.0 --counter 3 --loader \
    --next-test-key 2 --next-test-key 3 --load-addr 0x08000000
sign debug small --test-key 1 --version 0.9.0+99 --counter 2 --debug
sign padded small --test-key 0 --version 1.0.1 --counter 1 \
    --header-size 256 --load-addr 0x20000000
sign max_counter small --test-key 0 --version 255.255.65535+4294967295 \
    --counter 0xFFFFFFFF --load-addr 0xFFFFFE00
sign max_tlvs tiny --test-key 0 --version 1.0.2 --counter 1 \
    --tlv 0x0100= --tlv 0x0101= --tlv 0x0102= --tlv 0x0103= \
    --tlv 0x0104= --tlv 0x0105=01 --unprot-tlv 0x0106= \
    --unprot-tlv 0x0107= --unprot-tlv 0x0108= --unprot-tlv 0x0109= \
    --unprot-tlv 0x010A= --unprot-tlv 0x7FFF=0102030405060708
sign vendor_tlvs small --test-key 1 --version 4.0.0 --counter 6 \
    --tlv 0x4242=76656e646f722d70726f746563746564 \
    --unprot-tlv 0x0200=756e70726f746563746564
sign rollback small --test-key 0 --version 0.1.0 --counter 3
sign unknown_key small --test-key 5 --version 1.0.0 --counter 1
sign wrong_hw small --test-key 0 --version 1.0.0 --counter 1 \
    --hw-id 00000000000000000000000000000000
cp "$TMP/app_v1" "$TMP/bad_sig" && flip bad_sig 400
cp "$TMP/app_v1" "$TMP/bad_body" && flip bad_body 100
cp "$TMP/app_v1" "$TMP/bad_magic" && flip bad_magic 0
head -c 400 "$TMP/app_v1" > "$TMP/truncated"

seed 0 app_v1 "$IMG/valid_app_v1"
seed 0 app_v2_key1 "$IMG/valid_app_v2_key1"
seed 0 empty "$IMG/valid_empty_body"
seed 0 big "$IMG/valid_64k_body"
seed 0 loader "$IMG/valid_loader_next_keys"
seed 0 max_tlvs "$IMG/valid_16_tlvs"
seed 0 vendor_tlvs "$IMG/valid_vendor_tlvs"
seed 129 max_tlvs "$IMG/fixup_lengths_16_tlvs"
seed 32 debug "$IMG/valid_debug_allowed"        # bit 5: debug allowed
seed 0 padded "$IMG/valid_header_256"
seed 24 max_counter "$IMG/valid_max_counter"    # bits 3-4: stored 2^32-1
seed 1 app_v1 "$IMG/fixup_key0_app_v1"          # bit 0: fix-up, key 0
seed 3 loader "$IMG/fixup_key1_loader"          # fix-up, key 1
seed 5 app_v1 "$IMG/fixup_key2_unprovisioned"   # fix-up, key 2
seed 1 debug "$IMG/fixup_debug_refused"         # fix-up, debug not allowed
seed 9 rollback "$IMG/fixup_rollback"           # fix-up, stored 5 > 3
seed 129 app_v1 "$IMG/fixup_lengths_app_v1"      # bit 7: fix lengths too
seed 131 loader "$IMG/fixup_lengths_loader"      # lengths, key 1
seed 8 rollback "$IMG/invalid_rollback"         # stored 5 > 3
seed 0 unknown_key "$IMG/invalid_unknown_key"
seed 0 wrong_hw "$IMG/invalid_hw_id"
seed 64 app_v1 "$IMG/invalid_device_hw_id"      # bit 6: other device
seed 0 debug "$IMG/invalid_debug_refused"
seed 0 bad_sig "$IMG/invalid_signature"
seed 0 bad_body "$IMG/invalid_body_hash"
seed 0 bad_magic "$IMG/invalid_magic"
seed 0 truncated "$IMG/invalid_truncated"

# --- bootverify_chain: stage i trusts TEST keys 2i and 2i+1 ------------
sign s0 tiny --test-key 0 --version 1.0.0 --counter 2 --loader \
    --next-test-key 2
sign s0_two tiny --test-key 0 --version 1.0.0 --counter 2 --loader \
    --next-test-key 2 --next-test-key 3
sign s1 tiny --test-key 2 --version 1.2.0 --counter 3 --loader \
    --next-test-key 4
sign s1_key3 tiny --test-key 3 --version 1.2.0 --counter 3 --loader \
    --next-test-key 4
sign s2 tiny --test-key 4 --version 2.0.0 --counter 4 --loader \
    --next-test-key 6
sign app1 small --test-key 2 --version 5.0.0+1 --counter 5
sign app2 tiny --test-key 4 --version 5.0.0+2 --counter 5
sign app3 empty --test-key 6 --version 5.0.0+3 --counter 5
sign app_root tiny --test-key 0 --version 1.0.0 --counter 0
sign s1_old tiny --test-key 2 --version 1.1.0 --counter 2 --loader \
    --next-test-key 4

"$FWSIGN" chain -o "$TMP/c1" "$TMP/app_root"
"$FWSIGN" chain -o "$TMP/c2" "$TMP/s0" "$TMP/app1"
"$FWSIGN" chain -o "$TMP/c3" "$TMP/s0" "$TMP/s1" "$TMP/app2"
"$FWSIGN" chain -o "$TMP/c3_rot" "$TMP/s0_two" "$TMP/s1_key3" "$TMP/app2"
"$FWSIGN" chain -o "$TMP/c4" "$TMP/s0" "$TMP/s1" "$TMP/s2" "$TMP/app3"
"$FWSIGN" chain -o "$TMP/c3_old" "$TMP/s0" "$TMP/s1_old" "$TMP/app2"
"$FWSIGN" chain -o "$TMP/c3_unlisted" "$TMP/s0" "$TMP/s1_key3" "$TMP/app2"
"$FWSIGN" chain -o "$TMP/c3_swapped" "$TMP/s1" "$TMP/s0" "$TMP/app2"
"$FWSIGN" chain -o "$TMP/c3_app_mid" "$TMP/s0" "$TMP/app1" "$TMP/app2"
"$FWSIGN" chain -o "$TMP/c3_loader_last" "$TMP/s0" "$TMP/s1" "$TMP/s2"
cp "$TMP/c3" "$TMP/c3_bad_sig" && flip c3_bad_sig 520

seed 0 c1 "$CHAIN/valid_1_stage"
seed 0 c2 "$CHAIN/valid_2_stages"
seed 0 c3 "$CHAIN/valid_3_stages"
seed 0 c3_rot "$CHAIN/valid_3_stages_second_key"
seed 0 c4 "$CHAIN/valid_4_stages"
seed 32 c3 "$CHAIN/valid_3_stages_device_3"      # bit 5: 3 stages
seed 1 c3 "$CHAIN/fixup_3_stages"                # bit 0: fix-up
seed 129 c3 "$CHAIN/fixup_lengths_3_stages"      # bit 7: fix lengths too
seed 3 c2 "$CHAIN/fixup_second_key_not_listed"  # bit 1: keys 2i+1
seed 3 c3_rot "$CHAIN/fixup_second_key_rotated"  # stage 2 key 5 not listed
seed 4 c3 "$CHAIN/valid_counters_at_floor"       # bits 2-3: stored 2,3,4,5
seed 0 c3_old "$CHAIN/valid_old_middle_no_floor"
seed 4 c3_old "$CHAIN/invalid_old_middle_rollback"
seed 0 c3_unlisted "$CHAIN/invalid_key_not_listed"
seed 0 c3_swapped "$CHAIN/invalid_swapped_stages"
seed 0 c3_app_mid "$CHAIN/invalid_middle_not_loader"
seed 0 c3_loader_last "$CHAIN/invalid_last_is_loader"
seed 32 c2 "$CHAIN/invalid_count_mismatch"
seed 64 c3 "$CHAIN/invalid_device_hw_id"
seed 0 c3_bad_sig "$CHAIN/invalid_signature_middle"
