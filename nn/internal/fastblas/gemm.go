package fastblas

import (
	"runtime"
	"sync"
	"unsafe"
)

// kernelFunc computes one mr×nr tile of C (mr, nr fixed per kernel):
//
//	C[i*ldc+j] = alpha·Σ_{p<k} a[i*ars+p*aks]·b[p*bks+j] + beta·C[i*ldc+j]
//
// for i < mr, j < nr, reading C only when beta != 0. k ≥ 1. The nr values
// of B for one p are contiguous. Every element touched lies in the slices.
type kernelFunc func(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64)

// kernel is a micro-kernel together with the cache blocking tuned for it.
type kernel struct {
	name   string
	mr, nr int // register tile
	kc     int // max depth of a block: ideally a kc×nr B micro-panel fits L1
	mc     int // max rows of an A block (multiple of mr): mc×kc stays in L2
	nc     int // max columns of a packed B block (multiple of nr)
	fn     kernelFunc

	// fnHalf, if not nil, computes mr×(nr/2) tiles with fn's contract (the
	// first nr/2 columns of a B panel): the right edge when at most nr/2
	// columns are left, so that an edge of 2 columns (n = 10 = 8 + 2 with
	// nr = 8) costs half a tile, not a whole one: 200×10×96 on one core,
	// 52180 interleaved calls each, best 15.7 → 13.7 µs (24.5 → 28.1
	// GFLOP/s), 10th percentile 24.4 → 27.8 GFLOP/s.
	fnHalf kernelFunc

	// fnShort, if not nil, computes shortRows×nr tiles with fn's contract:
	// the bottom edge when at most shortRows rows are left (m = 10 = 6 + 4
	// with mr = 6): 10×96×200 on one core, 83460 interleaved calls each,
	// best 11.5 → 9.9 µs (33.3 → 38.8 GFLOP/s).
	fnShort   kernelFunc
	shortRows int

	// fnOffB and fnOffA, if not nil, are the zero-skipping kernels
	// (zeroskip.go), which find the other operand's step p through a byte
	// offset off[p]. fnOffB computes a full mr×nr tile with fn's contract
	// but B(p,j) = b[off[p]/8 + j]: a sparse A, packed. fnOffA computes a
	// 2mr×nr/2 tile (rows of two row tiles, half the columns of one) of
	// a sparse B packed in nr/2-column panels, B(p,j) = b[p*nr/2+j], and
	// an A contiguous along its rows, A(i,p) = a[off[p]/8 + i], off
	// holding 6 offsets more than the k it uses: narrower
	// panels of B keep fewer steps (Δ⁽¹⁾ᵀ·X on MNIST: 28 % of the rows of
	// a 4-column panel of X, 40 % of an 8-column one), and the taller tile
	// keeps the FMAs ahead of the broadcasts.
	fnOffB func(k int, a []float64, ars, aks int, b []float64, off []int, c []float64, ldc int, alpha, beta float64)
	fnOffA func(k int, a []float64, off []int, b []float64, c []float64, ldc int, alpha, beta float64)

	// packTrans, if not nil, packs a full kb×nr panel of a B whose
	// columns are contiguous: dst[p*nr+j] = src[j*lds+p].
	packTrans func(dst, src []float64, lds, kb int)

	// peakLoop, if not nil, runs n iterations of peakFlops floating-point
	// operations of register-only FMAs of the kernel's vector width, with
	// enough independent accumulators to keep every FMA pipe busy: timed
	// on every core at once, it measures the peak the kernel can approach.
	peakLoop  func(n int)
	peakFlops int
}

// operand is a read-only strided matrix view: element (r, s) is
// data[r*rs+s*cs].
type operand struct {
	data   []float64
	rs, cs int
}

func (o operand) at(r, s int) []float64 { return o.data[r*o.rs+s*o.cs:] }

// workspace holds one goroutine's packing buffers. Workspaces are recycled
// through wsPool, so a steady stream of Dgemm calls does not allocate.
type workspace struct {
	bp   []float64 // packed B block: ceil(nc/nr) panels of kc×nr
	be   []float64 // one packed B edge panel, kc×nr
	ap   []float64 // one packed A edge panel, kc×mr
	tile []float64 // mr×nr scratch tile for edge tiles

	// Zero skipping (zeroskip.go): an A block's panels (its edge too) with
	// their steps' B offsets and counts, or the two halves of one B panel
	// with their steps' A offsets.
	az, bz     []float64
	aoff, boff []int
	acnt       []int
}

var wsPool = sync.Pool{New: func() any { return new(workspace) }}

// alignedBuf returns buf resliced to n elements starting on a 64-byte
// (cache line) boundary, reallocating only when buf is too small.
func alignedBuf(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	const line = 64 / 8
	raw := make([]float64, n+line)
	off := 0
	if r := uintptr(unsafe.Pointer(&raw[0])) % 64; r != 0 {
		off = int(64-r) / 8
	}
	return raw[off : off+n : off+n]
}

// intBuf returns buf resliced to n elements, reallocating only when buf is
// too small.
func intBuf(buf []int, n int) []int {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]int, n)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// evenBlock splits n into the fewest blocks of at most maxb and returns a
// block size, a multiple of unit, that makes those blocks about equal.
func evenBlock(n, maxb, unit int) int {
	nb := ceilDiv(n, maxb)
	return ceilDiv(ceilDiv(n, nb), unit) * unit
}

// parallelMin is the number of multiply-adds the kernels execute (m·n·k
// with m and n rounded up to whole tiles) from which Dgemm splits the work
// over several goroutines: about 10 µs on one core. Below it the fork/join
// cost (several µs) is not repaid; measured on the 192000-multiply-add
// products of a training step, which are no faster or slower on 2 cores.
const parallelMin = 1 << 19

// gemm computes C = alpha·A·B + beta·C for m, n, k ≥ 1 and alpha != 0,
// splitting C into blocks of whole tiles that the caller and the workers
// claim one by one when the product is big enough.
func gemm(kn *kernel, m, n, k int, alpha float64, a, b operand, beta float64, c []float64, ldc int) {
	procs := runtime.GOMAXPROCS(0)
	if t := int(threads.Load()); t > 0 {
		procs = min(procs, t)
	}
	tilesM, tilesN := ceilDiv(m, kn.mr), ceilDiv(n, kn.nr)
	packB := b.cs != 1
	// A sparse B's zero steps may be skipped where the A facing them is
	// finite: checked here once, as every block reads all of A (a sparse
	// A's blocks check the B they pack).
	zs := skipSide(kn, m, n, a, b, packB)
	if zs == sparseB && !finiteRegion(a, 0, 0, m, k) {
		zs = dense
	}
	if procs < 2 || tilesM*kn.mr*tilesN*kn.nr*k < parallelMin || tilesM*tilesN < 2 {
		gemmSerial(kn, m, n, k, alpha, a, b, beta, c, ldc, zs)
		return
	}
	// Blocks are ranges of columns (n-split: every block reads all of A,
	// in place) or of rows (m-split: every block reads, and if B is
	// transposed packs, all of B). Duplicate the cheaper operand; packing
	// counts four times reading, which makes 200×96×784 (X·W1ᵀ) split by
	// columns, measured 10% faster than by rows.
	dupA, dupB := m, n
	if packB {
		dupB *= 4
	}
	splitN := tilesM < procs || tilesN >= procs && dupA <= dupB
	if splitN && tilesM >= procs && zs == sparseA && mostlyZero(a.at(0, 0)[:k]) {
		// Each block packs the nonzero steps of its A panels: split by
		// rows, so that no two blocks pack the same rows.
		splitN = false
	}
	tiles, unit := tilesM, kn.mr
	if splitN {
		tiles, unit = tilesN, kn.nr
	}
	// Blocks are claimed dynamically, up to 4 per goroutine: on a busy
	// machine the caller then computes the blocks of a worker that the OS
	// has not scheduled yet or has preempted, instead of waiting for it
	// (median of 96×784×200 under load 372µs vs 461µs with one block per
	// goroutine; the best times are the same). An m-split of a packed B
	// keeps one block per goroutine, as each block packs all of B. An
	// n-split of a packed B takes 2 blocks per goroutine: its A (X in
	// X·W1ᵀ, 200×784, 1.25 MB) is read in place by every block from beyond
	// L2, so fewer blocks read less (200×96×784 under load, 3 interleaved
	// runs of 30 s: median 29.1–29.4 GFLOP/s with 1–2 blocks per
	// goroutine vs 27.1–27.5 with 4, 10th percentile 40.0–41.2 vs 36.6–38.7).
	//
	// An n-split of a packed B also keeps at least 3 nr-wide panels in a
	// block where that leaves one block per goroutine: a block streams A
	// from beyond L2 through its first panel and reuses it from L2 for
	// the others, so one-panel blocks read all of A at the kernel's pace
	// (200×96×784 with the 6×8 kernel on 2 quiet cores, interleaved, 7600
	// calls each: median 395.8µs with 12 one-panel blocks, 369.9 with 6 of
	// two panels, 360.5 with 4 of three). With the 8×24 kernel, n = 96 is
	// only 4 panels: 2 blocks of 2, not 4 of 1.
	parts := blocks(tiles, procs, packB, splitN)

	cl := newCall()
	cl.kn, cl.m, cl.n, cl.k, cl.alpha, cl.beta, cl.a, cl.b, cl.c, cl.ldc = kn, m, n, k, alpha, beta, a, b, c, ldc
	cl.splitN, cl.tiles, cl.unit, cl.parts, cl.zs = splitN, tiles, unit, parts, zs
	cl.handOut(min(procs, parts)-1, nil)
}

// blocks is the number of blocks a product of tiles tiles along its split
// is cut into for procs goroutines (see gemm for why).
func blocks(tiles, procs int, packB, splitN bool) int {
	switch {
	case packB && !splitN:
		return min(tiles, procs)
	case packB:
		return min(tiles, max(procs, min(2*procs, tiles/3)))
	}
	return min(tiles, 4*procs)
}

// sparseRows is the most rows of a sparse A block (zeroskip.go).
const sparseRows = 54

// gemmSerial is the blocked algorithm of Goto and van de Geijn (the BLIS
// loop order) on one goroutine:
//
//	for jc over n in steps of nc:
//	  for pc over k in steps of kc:      (beta applies on the first pass only)
//	    pack B[pc:pc+kc, jc:jc+nc] into nr-wide panels (only if B's rows are
//	      not contiguous, i.e. B is transposed; otherwise B is read in place)
//	    for ic over m in steps of mc:
//	      for jr over the block in steps of nr:   (B micro-panel stays in L1)
//	        for ir over the block in steps of mr: (A block stays in L2)
//	          micro-kernel on the mr×nr tile of C
//
// A is always read in place through its strides; the kernel broadcasts its
// elements one at a time so it needs no particular layout. Only partial
// tiles at the bottom/right edges pack their A rows or B columns into
// zero-padded buffers and go through a scratch tile. Full panels of a
// sparse operand leave out their all-zero steps (zeroskip.go) if zs, the
// side gemm found for the whole call, allows it.
func gemmSerial(kn *kernel, m, n, k int, alpha float64, a, b operand, beta float64, c []float64, ldc int, zs side) {
	mr, nr := kn.mr, kn.nr
	kc := evenBlock(k, kn.kc, 1)
	mc := evenBlock(m, kn.mc, mr)
	nc := evenBlock(n, kn.nc, nr)
	packB := b.cs != 1

	ws := wsPool.Get().(*workspace)
	defer wsPool.Put(ws)
	ws.tile = alignedBuf(ws.tile, mr*nr)
	if packB {
		ws.bp = alignedBuf(ws.bp, ceilDiv(min(nc, n), nr)*nr*kc)
	}
	if n%nr != 0 && !packB {
		ws.be = alignedBuf(ws.be, nr*kc)
	}
	if m%mr != 0 {
		ws.ap = alignedBuf(ws.ap, mr*kc)
	}
	skip := dense
	if zs != dense {
		skip = skipSide(kn, m, n, a, b, packB)
	}
	first := true // no sparse panel packed yet
	switch skip {
	case sparseA: // the full panels of an A block and its edge
		// A sparse A is packed anyway, block by block, so its blocks can
		// be short: the evaluation's 500-row halves in blocks of 50 rows,
		// not 84, like the training's 100-row halves (54). Peak RSS of
		// cmd/train -m 1, mean of 10 runs: 84.94 MB with blocks of up to
		// 96 rows, 84.60 with 54, 84.46 for the dense products before.
		mc = evenBlock(m, sparseRows, mr)
		ws.az = alignedBuf(ws.az, (mc/mr+1)*mr*kc)
		ws.aoff = intBuf(ws.aoff, (mc/mr+1)*kc)
		ws.acnt = intBuf(ws.acnt, mc/mr+1)
	case sparseB: // the two halves of a B panel
		ws.bz = alignedBuf(ws.bz, nr*kc)
		ws.boff = intBuf(ws.boff, 2*kc+8) // the 12×4 kernel reads offsets 6 steps ahead
	}
	// packed notes that a panel kept cnt of its kb steps: a first panel
	// without a zero step turns skipping off for the rest of the call.
	packed := func(cnt, kb int) {
		if first && cnt == kb {
			skip = dense
		}
		first = false
	}

	for jc := 0; jc < n; jc += nc {
		ncb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			bt := beta
			if pc > 0 {
				bt = 1
			}
			if packB {
				packBBlock(ws.bp, kn, b, pc, jc, kb, ncb)
			} else if w := ncb % nr; w != 0 {
				packPanel(ws.be, nr, b.at(pc, jc+ncb-w), b.cs, b.rs, w, kb)
			}
			// A sparse A's zeros are skipped only where the B facing them,
			// just packed, is finite.
			bs := skip
			if bs == sparseA && !allFinite(ws.bp[:ceilDiv(ncb, nr)*nr*kb]) {
				bs = dense
			}
			for ic := 0; ic < m; ic += mc {
				mcb := min(mc, m-ic)
				if h := mcb % mr; h != 0 {
					packPanel(ws.ap, mr, a.at(ic+mcb-h, pc), a.rs, a.cs, h, kb)
				}
				if bs == sparseA {
					for q := range ceilDiv(mcb, mr) {
						var cnt int
						if q < mcb/mr {
							cnt = packNonzeroA6(ws.az[q*mr*kb:], ws.aoff[q*kb:], a.at(ic+q*mr, pc), a.rs, kb, nr*8)
						} else { // the edge, packed above with zero rows
							cnt = compactPacked6(ws.az[q*mr*kb:], ws.aoff[q*kb:], ws.ap, kb, nr*8)
						}
						ws.acnt[q] = cnt
						packed(cnt, kb)
						if skip == dense {
							bs = dense
							break
						}
					}
				}
				for jr := 0; jr < ncb; jr += nr {
					nrb := min(nr, ncb-jr)
					cntL, cntR := 0, 0 // steps kept of a sparse B panel's halves
					if bs == sparseB && nrb == nr {
						src := b.at(pc, jc+jr)
						cntL, cntR = packNonzeroB4x2(ws.bz, ws.boff, ws.bz[nr/2*kb:], ws.boff[kb:], src, b.rs, kb, a.cs*8)
						packed(cntL+cntR, 2*kb)
						if skip == dense {
							bs, cntL = dense, 0
						}
					}
					var bpan []float64
					bks := nr
					switch {
					case packB:
						bpan = ws.bp[jr*kb:]
					case nrb == nr:
						bpan, bks = b.at(pc, jc+jr), b.rs
					default:
						bpan = ws.be
					}
					for ir := 0; ir < mcb; ir += mr {
						mrb := min(mr, mcb-ir)
						apan, ars, aks := ws.ap, 1, mr
						if mrb == mr {
							apan, ars, aks = a.at(ic+ir, pc), a.rs, a.cs
						}
						ct := c[(ic+ir)*ldc+jc+jr:]
						switch {
						case bs == sparseA:
							q := ir / mr
							az, off, cnt := ws.az[q*mr*kb:], ws.aoff[q*kb:], ws.acnt[q]
							if mrb == mr && nrb == nr {
								kn.fnOffB(cnt, az, 1, mr, bpan, off, ct, ldc, alpha, bt)
								continue
							}
							kn.fnOffB(cnt, az, 1, mr, bpan, off, ws.tile, nr, alpha, 0)
							mergeTile(ct, ldc, ws.tile, nr, mrb, nrb, bt)
							continue
						case mrb < mr:
						case cntL > 0 && ir%(2*mr) == 0 && ir+2*mr <= mcb:
							// Two row tiles at once; an odd last one runs dense.
							at := a.at(ic+ir, pc)
							kn.fnOffA(cntL, at, ws.boff, ws.bz, ct, ldc, alpha, bt)
							kn.fnOffA(cntR, at, ws.boff[kb:], ws.bz[nr/2*kb:], ct[nr/2:], ldc, alpha, bt)
							ir += mr
							continue
						}
						fn, h, w := kn.fn, mr, nr
						switch {
						case mrb <= kn.shortRows && kn.fnShort != nil:
							fn, h = kn.fnShort, kn.shortRows
						case nrb <= nr/2 && kn.fnHalf != nil:
							fn, w = kn.fnHalf, nr/2
						}
						if mrb == h && nrb == w {
							fn(kb, apan, ars, aks, bpan, bks, ct, ldc, alpha, bt)
							continue
						}
						fn(kb, apan, ars, aks, bpan, bks, ws.tile, nr, alpha, 0)
						mergeTile(ct, ldc, ws.tile, nr, mrb, nrb, bt)
					}
				}
			}
		}
	}
}

// packPanel packs w ≤ width vectors of length kb into dst as a kb×width
// panel: dst[p*width+i] = src[i*is+p*ps] for i < w, and 0 for w ≤ i < width.
func packPanel(dst []float64, width int, src []float64, is, ps, w, kb int) {
	dst = dst[:kb*width]
	for p := 0; p < kb; p++ {
		row := dst[p*width : (p+1)*width]
		for i := 0; i < w; i++ {
			row[i] = src[i*is+p*ps]
		}
		clear(row[w:])
	}
}

// packBBlock packs the kb×ncb block of B at (pc, jc) into ceil(ncb/nr)
// consecutive kb×nr panels (the last one zero-padded). It is used when B's
// columns are contiguous (B transposed), so it reads each column of the
// block sequentially and scatters it into the panel.
func packBBlock(dst []float64, kn *kernel, b operand, pc, jc, kb, ncb int) {
	nr := kn.nr
	for j0 := 0; j0 < ncb; j0 += nr {
		pan := dst[j0*kb : (j0+nr)*kb]
		w := min(nr, ncb-j0)
		if w == nr && b.rs == 1 && kn.packTrans != nil {
			kn.packTrans(pan, b.at(pc, jc+j0), b.cs, kb)
			continue
		}
		for j := 0; j < w; j++ {
			col := b.at(pc, jc+j0+j)
			if b.rs == 1 {
				col = col[:kb]
				for p, v := range col {
					pan[p*nr+j] = v
				}
				continue
			}
			for p := 0; p < kb; p++ {
				pan[p*nr+j] = col[p*b.rs]
			}
		}
		if w < nr {
			for p := 0; p < kb; p++ {
				clear(pan[p*nr+w : (p+1)*nr])
			}
		}
	}
}

// mergeTile adds the top-left mrb×nrb part of the scratch tile t (already
// scaled by alpha) into C: C = t + beta·C, not reading C when beta == 0.
func mergeTile(c []float64, ldc int, t []float64, nr, mrb, nrb int, beta float64) {
	for i := 0; i < mrb; i++ {
		ci := c[i*ldc : i*ldc+nrb]
		ti := t[i*nr : i*nr+nrb]
		if beta == 0 {
			copy(ci, ti)
			continue
		}
		for j := range ci {
			ci[j] = ti[j] + beta*ci[j]
		}
	}
}
