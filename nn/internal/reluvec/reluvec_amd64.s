//go:build amd64 && !purego

#include "textflag.h"

// VCMPPD's predicate 0x1E, GT_OQ: greater than, ordered (false when
// either operand is NaN), quiet.
#define GT_OQ $0x1e

// func forwardBiasAVX2(v, a, u, b *float64, n int)
TEXT ·forwardBiasAVX2(SB), NOSPLIT, $0-40
	MOVQ   v+0(FP), DI
	MOVQ   a+8(FP), R8
	MOVQ   u+16(FP), SI
	MOVQ   b+24(FP), DX
	MOVQ   n+32(FP), CX
	VXORPD Y15, Y15, Y15
	XORQ   AX, AX

fwd:
	VMOVUPD (SI)(AX*1), Y0
	VADDPD  (DX)(AX*1), Y0, Y0 // x = u + b
	VMOVUPD Y0, (DI)(AX*1)     // v = x
	VCMPPD  GT_OQ, Y15, Y0, Y1 // [x > 0]
	VANDPD  Y0, Y1, Y1
	VMOVUPD Y1, (R8)(AX*1)     // a = x·[x > 0]
	ADDQ    $32, AX
	SUBQ    $4, CX
	JNZ     fwd
	VZEROUPPER
	RET

// func backwardSumAVX2(d, db, v, grad *float64, n int)
TEXT ·backwardSumAVX2(SB), NOSPLIT, $0-40
	MOVQ   d+0(FP), DI
	MOVQ   db+8(FP), DX
	MOVQ   v+16(FP), SI
	MOVQ   grad+24(FP), R9
	MOVQ   n+32(FP), CX
	VXORPD Y15, Y15, Y15
	XORQ   AX, AX

bwd:
	VMOVUPD (SI)(AX*1), Y0
	VCMPPD  GT_OQ, Y15, Y0, Y1 // [v > 0]
	VANDPD  (R9)(AX*1), Y1, Y1 // d = g·[v > 0]
	VMOVUPD Y1, (DI)(AX*1)
	VMOVUPD (DX)(AX*1), Y2
	VADDPD  Y1, Y2, Y2         // db + d
	VMOVUPD Y2, (DX)(AX*1)
	ADDQ    $32, AX
	SUBQ    $4, CX
	JNZ     bwd
	VZEROUPPER
	RET
