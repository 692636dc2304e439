// AVX2+FMA micro-kernel for fastblas (Go assembly, ABI0). Keep `go vet` (asmdecl) clean.

//go:build amd64 && !purego

#include "textflag.h"
#include "kloop.h"

// The repeated blocks of the three kernels, each written once. A k-step
// loads the B row (8 doubles in Y12/Y13, or 4 in Y12), then for each row i
// of A broadcasts A(i,p) (rows 0…5 at AX, AX+ars, AX+2ars, AX+3ars = R9,
// AX+4ars, AX+5ars = R10) into Y14 or Y15, alternately, and accumulates
// into row i's registers; then it moves A and B on by one p.
#define LOADB8 VMOVUPD (BX), Y12; VMOVUPD 32(BX), Y13
#define NEXTK ADDQ R11, AX; ADDQ R12, BX
#define FMA8(addr, yb, y0, y1) VBROADCASTSD addr, yb; VFMADD231PD Y12, yb, y0; VFMADD231PD Y13, yb, y1
#define FMA4(addr, yb, y) VBROADCASTSD addr, yb; VFMADD231PD Y12, yb, y
#define ROWS4x8 FMA8((AX), Y14, Y0, Y1); FMA8((AX)(R8*1), Y15, Y2, Y3); FMA8((AX)(R8*2), Y14, Y4, Y5); FMA8((AX)(R9*1), Y15, Y6, Y7)
#define BODY6x8 LOADB8; ROWS4x8; FMA8((AX)(R8*4), Y14, Y8, Y9); FMA8((AX)(R10*1), Y15, Y10, Y11)
#define STEP6x8 BODY6x8; NEXTK
#define STEP4x8 LOADB8; ROWS4x8; NEXTK
#define STEP6x4 VMOVUPD (BX), Y12; FMA4((AX), Y14, Y0); FMA4((AX)(R8*1), Y15, Y1); FMA4((AX)(R8*2), Y14, Y2); FMA4((AX)(R9*1), Y15, Y3); FMA4((AX)(R8*4), Y14, Y4); FMA4((AX)(R10*1), Y15, Y5); NEXTK

// The epilogue of one row of C at DI, alpha in Y14 (and beta in Y15):
// C = alpha·acc + beta·C (…BETA) or C = alpha·acc (…STORE), 8 or 4 columns.
#define ROW8BETA(y0, y1) VMULPD Y14, y0, y0; VFMADD231PD (DI), Y15, y0; VMOVUPD y0, (DI); VMULPD Y14, y1, y1; VFMADD231PD 32(DI), Y15, y1; VMOVUPD y1, 32(DI)
#define ROW8STORE(y0, y1) VMULPD Y14, y0, y0; VMOVUPD y0, (DI); VMULPD Y14, y1, y1; VMOVUPD y1, 32(DI)
#define ROW4BETA(y) VMULPD Y14, y, y; VFMADD231PD (DI), Y15, y; VMOVUPD y, (DI)
#define ROW4STORE(y) VMULPD Y14, y, y; VMOVUPD y, (DI)

// The 6×8 tile's epilogue: rows Y0/Y1 … Y10/Y11 to C at DI, row stride SI.
#define TILE6x8BETA ROW8BETA(Y0, Y1); ADDQ SI, DI; ROW8BETA(Y2, Y3); ADDQ SI, DI; ROW8BETA(Y4, Y5); ADDQ SI, DI; ROW8BETA(Y6, Y7); ADDQ SI, DI; ROW8BETA(Y8, Y9); ADDQ SI, DI; ROW8BETA(Y10, Y11)
#define TILE6x8STORE ROW8STORE(Y0, Y1); ADDQ SI, DI; ROW8STORE(Y2, Y3); ADDQ SI, DI; ROW8STORE(Y4, Y5); ADDQ SI, DI; ROW8STORE(Y6, Y7); ADDQ SI, DI; ROW8STORE(Y8, Y9); ADDQ SI, DI; ROW8STORE(Y10, Y11)
#define ZERO6x8 VXORPD Y0, Y0, Y0; VXORPD Y1, Y1, Y1; VXORPD Y2, Y2, Y2; VXORPD Y3, Y3, Y3; VXORPD Y4, Y4, Y4; VXORPD Y5, Y5, Y5; VXORPD Y6, Y6, Y6; VXORPD Y7, Y7, Y7; VXORPD Y8, Y8, Y8; VXORPD Y9, Y9, Y9; VXORPD Y10, Y10, Y10; VXORPD Y11, Y11, Y11

// The end of each 6×8 kernel: C = alpha·acc + beta·C, or C = alpha·acc
// when beta is ±0 (C not read). It defines the label store, so it is used
// once per TEXT.
#define DONE6x8 MOVQ c+48(FP), DI; MOVQ ldc+56(FP), SI; VBROADCASTSD alpha+64(FP), Y14; MOVQ beta+72(FP), DX; SHLQ $1, DX; JZ store; VBROADCASTSD beta+72(FP), Y15; TILE6x8BETA; VZEROUPPER; RET; store: TILE6x8STORE; VZEROUPPER; RET

// func kern6x8(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)
//
// Computes the 6×8 tile C = alpha·A·B + beta·C, where (all strides in BYTES)
//   A(i,p) = *(a + i*ars + p*aks)   i < 6, p < k
//   B(p,j) = *(b + p*bks + 8*j)     j < 8 (8 contiguous doubles per p)
//   C(i,j) = *(c + i*ldc + 8*j)
// beta == ±0 means C is only written (never read), so NaNs in C do not propagate.
// k must be ≥ 1.
//
// Register use: Y0..Y11 accumulators (row i in Y(2i) for columns 0..3 and
// Y(2i+1) for columns 4..7), Y12/Y13 the B row, Y14/Y15 broadcast A values.
// AX=a, R8=ars, R9=3*ars, R10=5*ars, R11=aks, BX=b, R12=bks, CX=k counter.
TEXT ·kern6x8(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ars+16(FP), R8
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), R12
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10

	ZERO6x8

	KLOOP(STEP6x8)
	DONE6x8

// The k-step of the 6×8 kernel that skips zero terms (below): the B row
// of step p is found at R13 + off[p], the offset read at SI; A moves on by
// its stride.
#define STEPOFFB MOVQ (SI), BX; ADDQ R13, BX; ADDQ $8, SI; BODY6x8; ADDQ R11, AX

// func kern6x8OffB(k int, a *float64, ars, aks int, b *float64, off *int, c *float64, ldc int, alpha, beta float64)
//
// kern6x8 with the B row of each step found through an offset (BYTES):
//   B(p,j) = *(b + off[p] + 8*j)     j < 8, p < k
// A and C as in kern6x8. Dgemm's zero skipping packs the columns p of an
// A panel that are not all zero, and lists where B's row p is.
//
// Registers as in kern6x8, with R13 = b and SI = off.
TEXT ·kern6x8OffB(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ars+16(FP), R8
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), R13
	MOVQ off+40(FP), SI
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10

	ZERO6x8

	KLOOP(STEPOFFB)
	DONE6x8

// One k-step of kern12x4OffA: A's column p is 12 contiguous doubles at
// R13 + off[p] (the offset read at SI), loaded as 3 vectors of 4 rows
// (Y12..Y14); each of B's 4 values at BX, broadcast in Y15, multiplies
// them into column j's 3 accumulators Y(3j)..Y(3j+2). The column of step
// p+6 is prefetched (A is read from L2 at offsets the hardware cannot
// guess: 5 % less time for Δ⁽¹⁾ᵀ·X on images, one core, best of 10).
#define COL12(d, y0, y1, y2) VBROADCASTSD d(BX), Y15; VFMADD231PD Y12, Y15, y0; VFMADD231PD Y13, Y15, y1; VFMADD231PD Y14, Y15, y2
#define STEP12x4 MOVQ (SI), AX; MOVQ 48(SI), R12; ADDQ R13, AX; ADDQ $8, SI; PREFETCHT0 (R13)(R12*1); PREFETCHT0 64(R13)(R12*1); VMOVUPD (AX), Y12; VMOVUPD 32(AX), Y13; VMOVUPD 64(AX), Y14; COL12(0, Y0, Y1, Y2); COL12(8, Y3, Y4, Y5); COL12(16, Y6, Y7, Y8); COL12(24, Y9, Y10, Y11); ADDQ $32, BX

// TRANS4 transposes the 4×4 block whose columns are c0..c3 (4 rows each)
// into its rows, back in c0..c3, through Y12..Y15.
#define TRANS4(c0, c1, c2, c3) VUNPCKLPD c1, c0, Y12; VUNPCKHPD c1, c0, Y13; VUNPCKLPD c3, c2, Y14; VUNPCKHPD c3, c2, Y15; VPERM2F128 $0x20, Y14, Y12, c0; VPERM2F128 $0x20, Y15, Y13, c1; VPERM2F128 $0x31, Y14, Y12, c2; VPERM2F128 $0x31, Y15, Y13, c3

// A row of the 12×4 tile's epilogue, alpha in Y12 and beta in Y13.
#define ROW4AB(y) VMULPD Y12, y, y; VFMADD231PD (DI), Y13, y; VMOVUPD y, (DI); ADDQ SI, DI
#define ROW4A(y) VMULPD Y12, y, y; VMOVUPD y, (DI); ADDQ SI, DI

// func kern12x4OffA(k int, a *float64, off *int, b *float64, c *float64, ldc int, alpha, beta float64)
//
// Computes the 12×4 tile C = alpha·A·B + beta·C, where (BYTES)
//   A(i,p) = *(a + off[p] + 8*i)   i < 12, p < k (A contiguous along i)
//   B(p,j) = *(b + 32*p + 8*j)     j < 4 (a packed 4-column panel)
//   C(i,j) = *(c + i*ldc + 8*j)
// beta == ±0 means C is only written (never read). k must be ≥ 1, and off
// must hold k+6 offsets (the last 6 are only prefetched). Dgemm's
// zero skipping packs the rows p of a 4-column panel of B that are not all
// +0 and lists where A's column p is: Δ⁽¹⁾ᵀ·X, whose A (Δ⁽¹⁾ᵀ) is
// contiguous along i. A's column is loaded as vectors and B's values are
// broadcast (8 loads for 12 FMAs a step; broadcasting A instead would take
// 13), so the accumulators hold C's columns, transposed in 4×4 blocks at
// the end.
//
// Register use: Y(3j+r) accumulates C(4r…4r+3, j); Y12..Y14 the A column,
// Y15 a broadcast B value. R13 = a, SI = off, BX = b, CX = k counter.
TEXT ·kern12x4OffA(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R13
	MOVQ off+16(FP), SI
	MOVQ b+24(FP), BX

	ZERO6x8

loop12:
	STEP12x4
	DECQ CX
	JNZ  loop12

	// Rows 4r…4r+3 of C are the columns of Y(r), Y(3+r), Y(6+r), Y(9+r).
	TRANS4(Y0, Y3, Y6, Y9)
	TRANS4(Y1, Y4, Y7, Y10)
	TRANS4(Y2, Y5, Y8, Y11)
	MOVQ c+32(FP), DI
	MOVQ ldc+40(FP), SI
	VBROADCASTSD alpha+48(FP), Y12
	MOVQ beta+56(FP), DX
	SHLQ $1, DX // drop the sign bit: ±0 → 0
	JZ   store12
	VBROADCASTSD beta+56(FP), Y13
	ROW4AB(Y0); ROW4AB(Y3); ROW4AB(Y6); ROW4AB(Y9)
	ROW4AB(Y1); ROW4AB(Y4); ROW4AB(Y7); ROW4AB(Y10)
	ROW4AB(Y2); ROW4AB(Y5); ROW4AB(Y8); ROW4AB(Y11)
	VZEROUPPER
	RET

store12:
	ROW4A(Y0); ROW4A(Y3); ROW4A(Y6); ROW4A(Y9)
	ROW4A(Y1); ROW4A(Y4); ROW4A(Y7); ROW4A(Y10)
	ROW4A(Y2); ROW4A(Y5); ROW4A(Y8); ROW4A(Y11)
	VZEROUPPER
	RET

// func packNZ4x2(k int, src *float64, rs int, dl *float64, ol *int, dr *float64, or *int, astep int) (kl, kr int)
//
// Packs both 4-column halves of the 8-column panel at src (row p at
// src + p*rs; rs in BYTES), k ≥ 1 rows, in one pass: the rows p whose left
// (right) 4 values are not all +0 go to dl (dr), 4 values a row, and
// p*astep to ol (or). Returns how many rows each half kept.
TEXT ·packNZ4x2(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ rs+16(FP), R8
	MOVQ dl+24(FP), DI
	MOVQ ol+32(FP), BX
	MOVQ dr+40(FP), R9
	MOVQ or+48(FP), R10
	MOVQ astep+56(FP), R11
	XORQ DX, DX

nz4loop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, (R9)
	MOVQ DX, (BX)
	MOVQ DX, (R10)
	ADDQ R11, DX
	ADDQ R8, SI
	VPTEST Y0, Y0
	LEAQ 32(DI), R13
	CMOVQNE R13, DI
	LEAQ 8(BX), R13
	CMOVQNE R13, BX
	VPTEST Y1, Y1
	LEAQ 32(R9), R13
	CMOVQNE R13, R9
	LEAQ 8(R10), R13
	CMOVQNE R13, R10
	DECQ CX
	JNZ  nz4loop

	SUBQ ol+32(FP), BX
	SHRQ $3, BX
	MOVQ BX, kl+64(FP)
	SUBQ or+48(FP), R10
	SHRQ $3, R10
	MOVQ R10, kr+72(FP)
	VZEROUPPER
	RET

// func finiteSum(x *float64, n int) bool
//
// Reports whether the n doubles at x (n a multiple of 8, ≥ 8) are all
// finite: x − x is +0 for a finite x and NaN for ±Inf or NaN, and the
// bits of all the differences, ORed in two accumulators, are all zero
// only if every x is finite.
TEXT ·finiteSum(SB), NOSPLIT, $0-17
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1

finloop:
	VMOVUPD (SI), Y2
	VSUBPD Y2, Y2, Y2
	VORPD Y2, Y0, Y0
	VMOVUPD 32(SI), Y3
	VSUBPD Y3, Y3, Y3
	VORPD Y3, Y1, Y1
	ADDQ $64, SI
	DECQ CX
	JNZ  finloop

	VORPD Y1, Y0, Y0
	VPTEST Y0, Y0
	SETEQ ret+16(FP)
	VZEROUPPER
	RET

// One column c (0…3) of packNZ6's four: its 6 values, rows 0…3 in yc and
// rows 4…5 in the low (…LO, xlo) or high (…HI, of y45) 128 bits of a
// register, go to DI and B's offset DX to BX, both kept (DI += 48,
// BX += 8) unless bit c of AX says the column is all +0.
#define NZKEEP6(c) MOVQ DX, (BX); ADDQ R11, DX; BTQ $c, AX; LEAQ 48(DI), R13; CMOVQCC R13, DI; LEAQ 8(BX), R13; CMOVQCC R13, BX
#define NZCOL6LO(yc, xlo, c) VMOVUPD yc, (DI); VMOVUPD xlo, 32(DI); NZKEEP6(c)
#define NZCOL6HI(yc, y45, c) VMOVUPD yc, (DI); VEXTRACTF128 $1, y45, 32(DI); NZKEEP6(c)

// func packNZ6(k int, src *float64, rs int, dst *float64, off *int, bstep int) int
//
// Packs the columns p < k (k a positive multiple of 4) of the 6-row panel
// at src (row i at src + i*rs, columns contiguous; rs in BYTES) that are
// not all +0: their 6 values to dst, one after the other, and p*bstep to
// off. Returns how many it kept. Four columns at a time: the 6 rows are
// loaded as vectors, four all-zero columns (the background of an image)
// are passed over, else the block is transposed (rows 0…3 by 4×4, rows
// 4…5 by pairs) and each column stored, kept or not by its bit of a mask.
TEXT ·packNZ6(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ rs+16(FP), R8
	MOVQ dst+24(FP), DI
	MOVQ off+32(FP), BX
	MOVQ bstep+40(FP), R11
	MOVQ BX, R14
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10
	LEAQ (R11)(R11*2), R12
	ADDQ R11, R12 // 4*bstep
	XORQ DX, DX
	VPXOR Y15, Y15, Y15
	SHRQ $2, CX

nz6loop:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(R8*1), Y1
	VMOVUPD (SI)(R8*2), Y2
	VMOVUPD (SI)(R9*1), Y3
	VMOVUPD (SI)(R8*4), Y4
	VMOVUPD (SI)(R10*1), Y5
	VORPD Y1, Y0, Y6
	VORPD Y2, Y6, Y6
	VORPD Y3, Y6, Y6
	VORPD Y4, Y6, Y6
	VORPD Y5, Y6, Y6
	VPTEST Y6, Y6
	JNZ  nz6some
	ADDQ R12, DX
	JMP  nz6next

nz6some:
	VPCMPEQQ Y15, Y6, Y7 // all ones in the lanes of the all-zero columns
	VMOVMSKPD Y7, AX
	VUNPCKLPD Y1, Y0, Y8  // r0c0 r1c0 r0c2 r1c2
	VUNPCKHPD Y1, Y0, Y9  // r0c1 r1c1 r0c3 r1c3
	VUNPCKLPD Y3, Y2, Y10 // r2c0 r3c0 r2c2 r3c2
	VUNPCKHPD Y3, Y2, Y11 // r2c1 r3c1 r2c3 r3c3
	VPERM2F128 $0x20, Y10, Y8, Y0
	VPERM2F128 $0x20, Y11, Y9, Y1
	VPERM2F128 $0x31, Y10, Y8, Y2
	VPERM2F128 $0x31, Y11, Y9, Y3
	VUNPCKLPD Y5, Y4, Y12 // r4c0 r5c0 r4c2 r5c2
	VUNPCKHPD Y5, Y4, Y13 // r4c1 r5c1 r4c3 r5c3
	NZCOL6LO(Y0, X12, 0)
	NZCOL6LO(Y1, X13, 1)
	NZCOL6HI(Y2, Y12, 2)
	NZCOL6HI(Y3, Y13, 3)

nz6next:
	ADDQ $32, SI
	DECQ CX
	JNZ  nz6loop

	SUBQ R14, BX
	SHRQ $3, BX
	MOVQ BX, ret+48(FP)
	VZEROUPPER
	RET

// func packT8(k int, src *float64, lds int, dst *float64, ldd int)
//
// Packs 8 rows of length k (row j at src + j*lds) into 8 columns of a k-row
// panel: the 8 doubles at dst + p*ldd are row_0[p] … row_7[p], for
// p < k &^ 3 (the caller packs the last k mod 4). lds and ldd are in BYTES.
// Works in 4×4 blocks: four row loads, a transpose by unpack and 128-bit
// lane permutes, four stores.
// SI: rows 0..3, DI: rows 4..7, R8 = lds, R9 = 3*lds, BX = dst, DX = ldd,
// R10 = 3*ldd.
TEXT ·packT8(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	MOVQ dst+24(FP), BX
	MOVQ ldd+32(FP), DX
	LEAQ (DX)(DX*2), R10
	LEAQ (R8)(R8*2), R9
	LEAQ (SI)(R8*4), DI
	SHRQ $2, CX
	JZ   packdone

packloop:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(R8*1), Y1
	VMOVUPD (SI)(R8*2), Y2
	VMOVUPD (SI)(R9*1), Y3
	VUNPCKLPD Y1, Y0, Y8
	VUNPCKHPD Y1, Y0, Y9
	VUNPCKLPD Y3, Y2, Y10
	VUNPCKHPD Y3, Y2, Y11
	VPERM2F128 $0x20, Y10, Y8, Y0
	VPERM2F128 $0x20, Y11, Y9, Y1
	VPERM2F128 $0x31, Y10, Y8, Y2
	VPERM2F128 $0x31, Y11, Y9, Y3
	VMOVUPD Y0, (BX)
	VMOVUPD Y1, (BX)(DX*1)
	VMOVUPD Y2, (BX)(DX*2)
	VMOVUPD Y3, (BX)(R10*1)

	VMOVUPD (DI), Y4
	VMOVUPD (DI)(R8*1), Y5
	VMOVUPD (DI)(R8*2), Y6
	VMOVUPD (DI)(R9*1), Y7
	VUNPCKLPD Y5, Y4, Y12
	VUNPCKHPD Y5, Y4, Y13
	VUNPCKLPD Y7, Y6, Y14
	VUNPCKHPD Y7, Y6, Y15
	VPERM2F128 $0x20, Y14, Y12, Y4
	VPERM2F128 $0x20, Y15, Y13, Y5
	VPERM2F128 $0x31, Y14, Y12, Y6
	VPERM2F128 $0x31, Y15, Y13, Y7
	VMOVUPD Y4, 32(BX)
	VMOVUPD Y5, 32(BX)(DX*1)
	VMOVUPD Y6, 32(BX)(DX*2)
	VMOVUPD Y7, 32(BX)(R10*1)

	ADDQ $32, SI
	ADDQ $32, DI
	LEAQ (BX)(DX*4), BX
	DECQ CX
	JNZ  packloop

packdone:
	VZEROUPPER
	RET

// func kern6x4(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)
//
// kern6x8's contract for a 6×4 tile: the right-edge kernel of panels at
// most 4 columns wide (the 10 outputs of the lab's last layer are 8 + 2,
// which the 6×8 kernel covers with 16 columns and this one with 12).
// B(p,j) = *(b + p*bks + 8*j) for j < 4; C(i,j) = *(c + i*ldc + 8*j).
// beta == ±0 means C is only written (never read). k must be ≥ 1.
//
// Register use: Y0..Y5 accumulators (row i in Y(i)), Y12 the B row,
// Y14/Y15 broadcast A values. AX=a, R8=ars, R9=3*ars, R10=5*ars,
// R11=aks, BX=b, R12=bks, CX=k counter.
TEXT ·kern6x4(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ars+16(FP), R8
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), R12
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5

k4loop1:
	STEP6x4
	DECQ CX
	JNZ  k4loop1

	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), SI
	VBROADCASTSD alpha+64(FP), Y14
	MOVQ beta+72(FP), DX
	SHLQ $1, DX // drop the sign bit: ±0 → 0
	JZ   k4store

	VBROADCASTSD beta+72(FP), Y15
	ROW4BETA(Y0)
	ADDQ SI, DI
	ROW4BETA(Y1)
	ADDQ SI, DI
	ROW4BETA(Y2)
	ADDQ SI, DI
	ROW4BETA(Y3)
	ADDQ SI, DI
	ROW4BETA(Y4)
	ADDQ SI, DI
	ROW4BETA(Y5)
	VZEROUPPER
	RET

k4store:
	ROW4STORE(Y0)
	ADDQ SI, DI
	ROW4STORE(Y1)
	ADDQ SI, DI
	ROW4STORE(Y2)
	ADDQ SI, DI
	ROW4STORE(Y3)
	ADDQ SI, DI
	ROW4STORE(Y4)
	ADDQ SI, DI
	ROW4STORE(Y5)
	VZEROUPPER
	RET

// func kern4x8(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)
//
// kern6x8's contract for a 4×8 tile: the bottom-edge kernel of row
// panels at most 4 rows high (m = 10 = 6 + 4 in the lab's ∂E/∂W⁽²⁾).
// A(i,p) = *(a + i*ars + p*aks) for i < 4. beta == ±0 means C is only
// written (never read). k must be ≥ 1.
//
// Register use: Y0..Y7 accumulators (row i in Y(2i), Y(2i+1)), Y12/Y13
// the B row, Y14/Y15 broadcast A values. AX=a, R8=ars, R9=3*ars,
// R11=aks, BX=b, R12=bks, CX=k counter.
TEXT ·kern4x8(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ars+16(FP), R8
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), R12
	LEAQ (R8)(R8*2), R9

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

m4loop1:
	STEP4x8
	DECQ CX
	JNZ  m4loop1

	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), SI
	VBROADCASTSD alpha+64(FP), Y14
	MOVQ beta+72(FP), DX
	SHLQ $1, DX // drop the sign bit: ±0 → 0
	JZ   m4store

	VBROADCASTSD beta+72(FP), Y15
	ROW8BETA(Y0, Y1)
	ADDQ SI, DI
	ROW8BETA(Y2, Y3)
	ADDQ SI, DI
	ROW8BETA(Y4, Y5)
	ADDQ SI, DI
	ROW8BETA(Y6, Y7)
	VZEROUPPER
	RET

m4store:
	ROW8STORE(Y0, Y1)
	ADDQ SI, DI
	ROW8STORE(Y2, Y3)
	ADDQ SI, DI
	ROW8STORE(Y4, Y5)
	ADDQ SI, DI
	ROW8STORE(Y6, Y7)
	VZEROUPPER
	RET
