//go:build amd64 && !purego

#include "textflag.h"

// func scaleAVX2(dst *float64, src *byte, n int, r, d float64, next *byte)
//
// For j in steps of 8 below n: x = float64(src[j..j+8]), q = x·r,
// e = x − d·q (exact, fused), dst[j..j+8] = q + e·r (fused). With r the
// rounded 1/d and d = 255 this is src/255 correctly rounded.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-48
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSD r+24(FP), Y14
	VBROADCASTSD d+32(FP), Y15
	MOVQ         next+40(FP), R8

loop:
	PREFETCHT0   (R8)
	VPMOVZXBD    (SI), Y0         // 8 bytes → 8 int32
	VCVTDQ2PD    X0, Y1           // the low 4 as float64
	VEXTRACTI128 $1, Y0, X0
	VCVTDQ2PD    X0, Y2           // the high 4
	VMULPD       Y14, Y1, Y3      // q = x·r
	VMULPD       Y14, Y2, Y4
	VFNMADD231PD Y15, Y3, Y1      // e = x − d·q
	VFNMADD231PD Y15, Y4, Y2
	VFMADD231PD  Y14, Y1, Y3      // q += e·r
	VFMADD231PD  Y14, Y2, Y4
	VMOVUPD      Y3, (DI)
	VMOVUPD      Y4, 32(DI)
	ADDQ         $8, SI
	ADDQ         $8, R8
	ADDQ         $64, DI
	SUBQ         $8, CX
	JNZ          loop
	VZEROUPPER
	RET
