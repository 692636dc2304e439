// AVX-512F micro-kernel for fastblas (Go assembly, ABI0). Keep `go vet` (asmdecl) clean.

//go:build amd64 && !purego

#include "textflag.h"
#include "kloop.h"

// The repeated blocks of the kernel, each written once. A k-step loads
// the B row (24 doubles in Z24…Z26), then for each row i of A broadcasts
// A(i,p) (rows 0…7 at AX, AX+ars, AX+2ars, AX+3ars = R9, AX+4ars,
// AX+5ars = R10, AX+6ars = 2·R9, AX+7ars = R11) into Z27…Z30 in turn and
// accumulates into row i's three registers; then it moves A and B on by
// one p.
#define LOADB24 VMOVUPD (BX), Z24; VMOVUPD 64(BX), Z25; VMOVUPD 128(BX), Z26
#define NEXTK ADDQ R12, AX; ADDQ R13, BX
#define FMA24(addr, zb, z0, z1, z2) VBROADCASTSD addr, zb; VFMADD231PD Z24, zb, z0; VFMADD231PD Z25, zb, z1; VFMADD231PD Z26, zb, z2
#define STEP8x24 LOADB24; FMA24((AX), Z27, Z0, Z1, Z2); FMA24((AX)(R8*1), Z28, Z3, Z4, Z5); FMA24((AX)(R8*2), Z29, Z6, Z7, Z8); FMA24((AX)(R9*1), Z30, Z9, Z10, Z11); FMA24((AX)(R8*4), Z27, Z12, Z13, Z14); FMA24((AX)(R10*1), Z28, Z15, Z16, Z17); FMA24((AX)(R9*2), Z29, Z18, Z19, Z20); FMA24((AX)(R11*1), Z30, Z21, Z22, Z23); NEXTK

// The epilogue of one row of C at DI, alpha in Z30 (and beta in Z31):
// C = alpha·acc + beta·C (ROW24BETA) or C = alpha·acc (ROW24STORE).
#define ROW24BETA(z0, z1, z2) VMULPD Z30, z0, z0; VFMADD231PD (DI), Z31, z0; VMOVUPD z0, (DI); VMULPD Z30, z1, z1; VFMADD231PD 64(DI), Z31, z1; VMOVUPD z1, 64(DI); VMULPD Z30, z2, z2; VFMADD231PD 128(DI), Z31, z2; VMOVUPD z2, 128(DI)
#define ROW24STORE(z0, z1, z2) VMULPD Z30, z0, z0; VMOVUPD z0, (DI); VMULPD Z30, z1, z1; VMOVUPD z1, 64(DI); VMULPD Z30, z2, z2; VMOVUPD z2, 128(DI)

// func kern8x24(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)
//
// Computes the 8×24 tile C = alpha·A·B + beta·C, where (all strides in BYTES)
//   A(i,p) = *(a + i*ars + p*aks)   i < 8, p < k
//   B(p,j) = *(b + p*bks + 8*j)     j < 24 (24 contiguous doubles per p)
//   C(i,j) = *(c + i*ldc + 8*j)
// beta == ±0 means C is only written (never read). k must be ≥ 1.
//
// Register use: Z0..Z23 accumulators (row i in Z(3i), Z(3i+1), Z(3i+2)),
// Z24..Z26 the B row, Z27..Z30 broadcast A values (rotating).
// AX=a, R8=ars, R9=3*ars, R10=5*ars, R11=7*ars, R12=aks, BX=b, R13=bks.
TEXT ·kern8x24(SB), NOSPLIT, $0-80
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ ars+16(FP), R8
	MOVQ aks+24(FP), R12
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), R13
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10
	LEAQ (R9)(R8*4), R11

	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	VPXORQ Z19, Z19, Z19
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22
	VPXORQ Z23, Z23, Z23

	KLOOP(STEP8x24)
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), SI
	VBROADCASTSD alpha+64(FP), Z30
	MOVQ beta+72(FP), DX
	SHLQ $1, DX // drop the sign bit: ±0 → 0
	JZ   store

	VBROADCASTSD beta+72(FP), Z31
	ROW24BETA(Z0, Z1, Z2)
	ADDQ SI, DI
	ROW24BETA(Z3, Z4, Z5)
	ADDQ SI, DI
	ROW24BETA(Z6, Z7, Z8)
	ADDQ SI, DI
	ROW24BETA(Z9, Z10, Z11)
	ADDQ SI, DI
	ROW24BETA(Z12, Z13, Z14)
	ADDQ SI, DI
	ROW24BETA(Z15, Z16, Z17)
	ADDQ SI, DI
	ROW24BETA(Z18, Z19, Z20)
	ADDQ SI, DI
	ROW24BETA(Z21, Z22, Z23)
	VZEROUPPER
	RET

store:
	ROW24STORE(Z0, Z1, Z2)
	ADDQ SI, DI
	ROW24STORE(Z3, Z4, Z5)
	ADDQ SI, DI
	ROW24STORE(Z6, Z7, Z8)
	ADDQ SI, DI
	ROW24STORE(Z9, Z10, Z11)
	ADDQ SI, DI
	ROW24STORE(Z12, Z13, Z14)
	ADDQ SI, DI
	ROW24STORE(Z15, Z16, Z17)
	ADDQ SI, DI
	ROW24STORE(Z18, Z19, Z20)
	ADDQ SI, DI
	ROW24STORE(Z21, Z22, Z23)
	VZEROUPPER
	RET
