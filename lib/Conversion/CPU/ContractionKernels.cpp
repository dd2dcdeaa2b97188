//===- ContractionKernels.cpp - Packed-weight matmul loop nests -----------===//
//
// A matmul whose weights are a constant becomes one loop nest of vector
// code on tensors:
//
//   for each block of `vectors` panels of `lanes` columns      (scf.for, or
//                                          scf.forall with threads > 1)
//     for each block of `rows` rows                             (scf.for)
//       accumulators <- bias (or the matmul's initial value)
//       for each group of `kGroup` reduction values             (scf.for)
//         load one vector of packed weights per panel
//         broadcast `kGroup` activations per row
//         accumulator += multiply-add                           (rows x
//         vectors)
//       epilogue (the consumer's body on the accumulator vectors), store
//
// The weights are packed at compile time (WeightPacking.cpp); the
// multiply-add is `vpdpbusd` (u8 x s8 summed in i32, exact) with VNNI,
// `vpmaddwd` on int16 pairs with AVX2 (exact; no `vpmaddubsw` saturation),
// `vector.fma` for f32, the x86 ones as `llvm.call_intrinsic`. Blocks at the
// edges (rows left over, a last partial panel) are peeled with static
// shapes, so the main loops carry no masks.
//
//===----------------------------------------------------------------------===//

#include "Broadcast.h"
#include "Epilogue.h"

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace qnn;

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

namespace {
/// A matmul `init + lhs (M x K) * weights (K x N)` with constant weights.
struct MatmulMatch {
  mutable linalg::LinalgOp op;
  KernelKind kind;
  Value lhs;
  DenseElementsAttr weights;
  /// The weights are stored N x K.
  bool transposed = false;
  /// Int8: how the body widens each operand.
  bool lhsSigned = false;
  bool weightsSigned = true;
  int64_t m, n, k;
};
} // namespace

/// `value` is `ext(argument)` with an i8 -> i32 extension; `isSigned` says
/// which.
static bool isWidened(Value value, BlockArgument argument, bool &isSigned) {
  Operation *op = value.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtSIOp, arith::ExtUIOp>(op) ||
      op->getOperand(0) != argument || !argument.getType().isInteger(8) ||
      !value.getType().isInteger(32))
    return false;
  isSigned = isa<arith::ExtSIOp>(op);
  return true;
}

/// Matches the body `out + a * w` (int8: `out + ext(a) * ext(w)` in i32;
/// f32: `out + a * w`), operands of the add and the multiply in any order.
static std::optional<KernelKind> matchBody(Block *body, MatmulMatch &match) {
  BlockArgument a = body->getArgument(0), w = body->getArgument(1),
                out = body->getArgument(2);
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return std::nullopt;
  Operation *add = yield.getOperand(0).getDefiningOp();
  if (!isa_and_nonnull<arith::AddIOp, arith::AddFOp>(add))
    return std::nullopt;
  Value product = add->getOperand(0) == out   ? add->getOperand(1)
                  : add->getOperand(1) == out ? add->getOperand(0)
                                              : Value();
  if (!product)
    return std::nullopt;
  Operation *mul = product.getDefiningOp();
  if (isa<arith::AddFOp>(add)) {
    if (!isa_and_nonnull<arith::MulFOp>(mul) || !out.getType().isF32())
      return std::nullopt;
    bool direct = mul->getOperand(0) == a && mul->getOperand(1) == w;
    bool swapped = mul->getOperand(0) == w && mul->getOperand(1) == a;
    if (!(direct || swapped) || !a.getType().isF32() || !w.getType().isF32())
      return std::nullopt;
    return KernelKind::Float32;
  }
  if (!isa_and_nonnull<arith::MulIOp>(mul) || !out.getType().isInteger(32))
    return std::nullopt;
  Value x = mul->getOperand(0), y = mul->getOperand(1);
  if (isWidened(x, a, match.lhsSigned) && isWidened(y, w, match.weightsSigned))
    return KernelKind::Int8;
  if (isWidened(y, a, match.lhsSigned) && isWidened(x, w, match.weightsSigned))
    return KernelKind::Int8;
  return std::nullopt;
}

static std::optional<MatmulMatch> matchMatmul(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      op.getNumLoops() != 3 || op.getNumReductionLoops() != 1)
    return std::nullopt;
  MLIRContext *context = op.getContext();
  AffineExpr m = getAffineDimExpr(0, context), n = getAffineDimExpr(1, context),
             k = getAffineDimExpr(2, context);
  auto map = [&](ArrayRef<AffineExpr> results) {
    return AffineMap::get(3, 0, results, context);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  MatmulMatch match;
  match.op = op;
  if (maps[0] != map({m, k}) || maps[2] != map({m, n}))
    return std::nullopt;
  if (maps[1] == map({n, k}))
    match.transposed = true;
  else if (maps[1] != map({k, n}))
    return std::nullopt;

  match.lhs = op.getDpsInputOperand(0)->get();
  Value weights = op.getDpsInputOperand(1)->get();
  DenseElementsAttr attr;
  if (!matchPattern(weights, m_Constant(&attr)) || !attr)
    return std::nullopt;
  match.weights = attr;
  auto lhsType = cast<RankedTensorType>(match.lhs.getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!lhsType.hasStaticShape() || !resultType.hasStaticShape())
    return std::nullopt;
  match.m = lhsType.getDimSize(0);
  match.k = lhsType.getDimSize(1);
  match.n = resultType.getDimSize(1);
  std::optional<KernelKind> kind = matchBody(op.getBlock(), match);
  if (!kind)
    return std::nullopt;
  match.kind = *kind;
  return match;
}

/// Whether every weight of `weights` lies in [-128, 127] when read as
/// unsigned storage (u8 weights: `vpdpbusd` takes them as signed bytes).
static bool fitsSignedBytes(DenseElementsAttr weights) {
  ArrayRef<char> raw = weights.getRawData();
  return llvm::all_of(raw, [](char c) { return static_cast<int8_t>(c) >= 0; });
}

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

namespace {

/// Where the accumulators start.
struct InitialValue {
  /// A scalar (a linalg.fill's value).
  Value scalar;
  /// A 1-D tensor over n (a broadcast bias).
  Value columns;
  /// The full M x N initial tensor.
  Value full;
};

class KernelEmitter {
public:
  KernelEmitter(OpBuilder &builder, Location loc, SymbolTable &symbols,
                const MatmulMatch &match, KernelShape shape,
                linalg::GenericOp epilogue, unsigned epilogueInput,
                int64_t threads)
      : b(builder), loc(loc), symbols(symbols), match(match), shape(shape),
        epilogue(epilogue), epilogueInput(epilogueInput), threads(threads) {}

  /// Emits the loop nest; returns the tensor replacing the epilogue's result
  /// (or the matmul's when there is no epilogue).
  Value emit();

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value emitBlock(Value out, int64_t rows, Value row0, int64_t vectors,
                  Value panel0, int64_t validInLast);
  bool splitsAcrossThreads(int64_t columnBlocks, int64_t blockWidth) const;
  Value
  emitParallelColumnBlocks(Value out, int64_t columnBlocks, int64_t vectors,
                           function_ref<Value(Value, Value)> emitColumnBlock);
  Value initialAccumulator(Value row, Value col, int64_t valid);
  Value loadActivations(Value row, Value k, bool inBounds);
  Value multiplyAdd(Value acc, Value activations, Value weights);
  Value callIntrinsic(StringRef name, Type resultType, ValueRange operands);

  OpBuilder &b;
  Location loc;
  /// The module's, where the intrinsics are declared.
  SymbolTable &symbols;
  const MatmulMatch &match;
  KernelShape shape;
  linalg::GenericOp epilogue;
  unsigned epilogueInput;
  int64_t threads;

  InitialValue init;
  Value packed;
  /// VNNI with signed activations: -128 * column sums, added to the initial
  /// accumulators (the activations are offset by 128 to be unsigned).
  Value correction;
  /// Inside a thread's column block: the first column of the slice of the
  /// result it writes (reads of the inputs stay at absolute columns).
  Value outColumnOrigin;
};

} // namespace

static InitialValue findInitialValue(Value init) {
  InitialValue result;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    result.scalar = fill.getInputs()[0];
    return result;
  }
  // A broadcast of a 1-D tensor along m: the bias.
  if (Value columns = getBroadcastSource(init, /*dim=*/1)) {
    result.columns = columns;
    return result;
  }
  result.full = init;
  return result;
}

Value KernelEmitter::initialAccumulator(Value row, Value col, int64_t valid) {
  Type element = match.kind == KernelKind::Float32 ? Type(b.getF32Type())
                                                   : Type(b.getI32Type());
  auto type = VectorType::get({shape.lanes}, element);
  Value acc;
  if (init.scalar)
    acc = vector::BroadcastOp::create(b, loc, type, init.scalar);
  else if (init.columns)
    acc = readRowVector(b, loc, init.columns, Value(), col, shape.lanes, valid);
  else
    acc = readRowVector(b, loc, init.full, row, col, shape.lanes, valid);
  if (correction) {
    // The correction tensor is padded to whole panels: always in bounds.
    Value fix = readRowVector(b, loc, correction, Value(), col, shape.lanes,
                              shape.lanes);
    acc = arith::AddIOp::create(b, loc, acc, fix);
  }
  return acc;
}

/// The activations of row `row` from reduction index `k`, as the
/// multiply-add instruction takes them: broadcast to every lane.
Value KernelEmitter::loadActivations(Value row, Value k, bool inBounds) {
  if (match.kind == KernelKind::Float32) {
    Value a = tensor::ExtractOp::create(b, loc, match.lhs, ValueRange{row, k});
    return vector::BroadcastOp::create(
        b, loc, VectorType::get({shape.lanes}, b.getF32Type()), a);
  }
  Type i8 = b.getI8Type(), i16 = b.getI16Type(), i32 = b.getI32Type();
  auto groupType = VectorType::get({shape.kGroup}, i8);
  Value padding = arith::ConstantIntOp::create(b, loc, i8, 0);
  auto map = AffineMap::getMinorIdentityMap(2, 1, b.getContext());
  Value group = vector::TransferReadOp::create(b, loc, groupType, match.lhs,
                                               ValueRange{row, k}, padding, map,
                                               ArrayRef<bool>{inBounds});
  auto lanesI32 = VectorType::get({shape.lanes}, i32);
  if (shape.kGroup == 4) {
    // vpdpbusd: four unsigned bytes per lane.
    Value word = vector::ExtractOp::create(
        b, loc,
        vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), group),
        int64_t{0});
    if (match.lhsSigned) {
      // i8 activations + 128 are u8: flip the sign bit of every byte.
      Value flip = arith::ConstantIntOp::create(b, loc, i32, 0x80808080);
      word = arith::XOrIOp::create(b, loc, word, flip);
    }
    Value splat = vector::BroadcastOp::create(b, loc, lanesI32, word);
    return vector::BitCastOp::create(
        b, loc, VectorType::get({shape.lanes * 4}, i8), splat);
  }
  // vpmaddwd: a pair of int16 per lane, widened as the matmul says.
  auto pairType = VectorType::get({2}, i16);
  Value pair =
      match.lhsSigned
          ? arith::ExtSIOp::create(b, loc, pairType, group).getResult()
          : arith::ExtUIOp::create(b, loc, pairType, group).getResult();
  Value word = vector::ExtractOp::create(
      b, loc,
      vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), pair),
      int64_t{0});
  Value splat = vector::BroadcastOp::create(b, loc, lanesI32, word);
  return vector::BitCastOp::create(
      b, loc, VectorType::get({shape.lanes * 2}, i16), splat);
}

/// A call of the LLVM intrinsic `name`, through a private function
/// declaration of that name (created once per module): LLVM recognizes a
/// function named `llvm.*` as the intrinsic. Not `llvm.call_intrinsic`,
/// which has no memory-effect interface, so that the ownership-based buffer
/// deallocation after bufferization rejects it; a call is allowed there.
Value KernelEmitter::callIntrinsic(StringRef name, Type resultType,
                                   ValueRange operands) {
  auto declaration = symbols.lookup<func::FuncOp>(name);
  if (!declaration) {
    declaration = func::FuncOp::create(
        loc, name, b.getFunctionType(operands.getTypes(), resultType));
    declaration.setPrivate();
    symbols.insert(declaration, symbols.getOp()->getRegion(0).front().begin());
  }
  return func::CallOp::create(b, loc, declaration, operands).getResult(0);
}

Value KernelEmitter::multiplyAdd(Value acc, Value activations, Value weights) {
  if (match.kind == KernelKind::Float32)
    return vector::FMAOp::create(b, loc, activations, weights, acc);
  Type accType = acc.getType();
  if (shape.kGroup == 4) {
    // u8 x s8, four products summed into each i32 lane, not saturating
    // (vpdpbusds would saturate).
    StringRef name = shape.lanes == 16 ? "llvm.x86.avx512.vpdpbusd.512"
                                       : "llvm.x86.avx512.vpdpbusd.256";
    return callIntrinsic(name, accType, {acc, activations, weights});
  }
  auto wideType = VectorType::get({shape.lanes * 2}, b.getI16Type());
  Value wide =
      match.weightsSigned
          ? arith::ExtSIOp::create(b, loc, wideType, weights).getResult()
          : arith::ExtUIOp::create(b, loc, wideType, weights).getResult();
  Value products =
      callIntrinsic("llvm.x86.avx2.pmadd.wd", accType, {activations, wide});
  return arith::AddIOp::create(b, loc, acc, products);
}

/// One register tile: `rows` rows from `row0`, `vectors` panels from
/// `panel0`; the last panel has `validInLast` columns inside the matrix.
Value KernelEmitter::emitBlock(Value out, int64_t rows, Value row0,
                               int64_t vectors, Value panel0,
                               int64_t validInLast) {
  auto valid = [&](int64_t j) {
    return j + 1 == vectors ? validInLast : shape.lanes;
  };
  SmallVector<Value> rowIndex, colIndex, panelIndex;
  for (int64_t r = 0; r < rows; ++r)
    rowIndex.push_back(
        arith::AddIOp::create(b, loc, row0, index(r)).getResult());
  for (int64_t j = 0; j < vectors; ++j) {
    Value panel = arith::AddIOp::create(b, loc, panel0, index(j));
    panelIndex.push_back(panel);
    colIndex.push_back(
        arith::MulIOp::create(b, loc, panel, index(shape.lanes)).getResult());
  }

  SmallVector<Value> accs;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < vectors; ++j)
      accs.push_back(initialAccumulator(rowIndex[r], colIndex[j], valid(j)));

  int64_t stride = shape.lanes * shape.kGroup;
  Type packedElement =
      cast<RankedTensorType>(packed.getType()).getElementType();
  auto weightType = VectorType::get({stride}, packedElement);
  auto step = [&](OpBuilder &, Value group, ValueRange current, bool inBounds) {
    Value k = arith::MulIOp::create(b, loc, group, index(shape.kGroup));
    SmallVector<Value> weights;
    Value zero = index(0);
    Value padding = arith::ConstantOp::create(b, loc, packedElement,
                                              b.getZeroAttr(packedElement));
    auto map = AffineMap::getMinorIdentityMap(3, 1, b.getContext());
    for (int64_t j = 0; j < vectors; ++j)
      weights.push_back(vector::TransferReadOp::create(
          b, loc, weightType, packed, ValueRange{panelIndex[j], group, zero},
          padding, map, ArrayRef<bool>{true}));
    SmallVector<Value> next;
    for (int64_t r = 0; r < rows; ++r) {
      Value activations = loadActivations(rowIndex[r], k, inBounds);
      for (int64_t j = 0; j < vectors; ++j)
        next.push_back(
            multiplyAdd(current[r * vectors + j], activations, weights[j]));
    }
    return next;
  };

  int64_t fullGroups = match.k / shape.kGroup;
  if (fullGroups > 0) {
    auto loop = scf::ForOp::create(
        b, loc, index(0), index(fullGroups), index(1), accs,
        [&](OpBuilder &nested, Location, Value group, ValueRange current) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(nested.getInsertionBlock());
          SmallVector<Value> next = step(nested, group, current, true);
          scf::YieldOp::create(b, loc, next);
        });
    // A matvec reads each weight once: its loop streams the packed panels
    // from memory, and qnn-prefetch-constant-reads prefetches them.
    if (rows == 1)
      loop->setAttr(qnn::kPrefetchConstantReadsAttrName, b.getUnitAttr());
    accs = SmallVector<Value>(loop.getResults());
  }
  if (match.k % shape.kGroup != 0)
    accs = step(b, index(fullGroups), accs, false);

  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < vectors; ++j) {
      Value acc = accs[r * vectors + j];
      Value result = epilogue
                         ? emitEpilogue(b, loc, epilogue, epilogueInput, acc,
                                        rowIndex[r], colIndex[j], valid(j))
                         : acc;
      Value outCol =
          outColumnOrigin
              ? arith::SubIOp::create(b, loc, colIndex[j], outColumnOrigin)
                    .getResult()
              : colIndex[j];
      out = writeRowVector(b, loc, result, out, rowIndex[r], outCol, valid(j));
    }
  }
  return out;
}

/// Below this many multiply-adds per thread a split costs more than it
/// gains. Starting the other thread and joining it took 1.1-2.1 us per
/// parallel loop with LLVM's OpenMP runtime here (2 vCPUs, the threads still
/// spinning from the previous loop; an empty `omp parallel for` in C), and
/// much more when they have gone to sleep or the other core is busy. The
/// fastest kernel (AVX-512 VNNI, weights in cache, ~160 G multiply-adds/s
/// on one core) saves ~1.6 us per 2^18 multiply-adds a thread takes over:
/// a 1x1024x1024 matvec (2^19 per thread) measured 0.84-1.2x on two threads
/// against one, no gain. At 2^20 per thread the saving is ~6.5 us on that
/// kernel and ~20 us on the AVX2 int8 and the f32 ones, several times the
/// cost. So 1x1024x1024 stays on one thread; 1x4096x4096 and the
/// compute-bound shapes of the benchmark split.
static constexpr int64_t kMinMultiplyAddsPerThread = int64_t{1} << 20;

/// Whether the `columnBlocks` blocks of `blockWidth` columns are split
/// across threads. Only the column blocks are split, never the rows: each
/// thread then reads its own panels of packed weights (the operand that
/// does not fit in cache at the sizes where threads pay), streams the
/// activations it shares with the other thread from the shared L3, and the
/// loop order inside a block stays the single-thread one. A matvec has
/// nothing else to split; a matmul has at least as many column blocks as
/// threads whenever it has the work to be worth splitting, except tall and
/// narrow ones (N of one or two blocks), which stay on one thread.
bool KernelEmitter::splitsAcrossThreads(int64_t columnBlocks,
                                        int64_t blockWidth) const {
  if (threads < 2 || columnBlocks < threads)
    return false;
  int64_t work = match.m * columnBlocks * blockWidth * match.k;
  return work / threads >= kMinMultiplyAddsPerThread;
}

/// The column blocks as the iterations of an `scf.forall`: each writes the
/// slice of the result its columns cover (all M rows, `vectors * lanes`
/// columns), inserted back with `tensor.parallel_insert_slice`. After
/// bufferization the slices are subviews of the one result buffer, and the
/// loop becomes an OpenMP work-sharing loop (qnn-lower-to-llvm) whose static
/// schedule gives each thread a contiguous range of blocks.
Value KernelEmitter::emitParallelColumnBlocks(
    Value out, int64_t columnBlocks, int64_t vectors,
    function_ref<Value(Value, Value)> emitColumnBlock) {
  int64_t width = vectors * shape.lanes;
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(columnBlocks)},
      ValueRange{out}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  Block *body = forall.getBody();
  b.setInsertionPoint(body->getTerminator());
  Value panel0 =
      arith::MulIOp::create(b, loc, forall.getInductionVar(0), index(vectors));
  Value col0 = arith::MulIOp::create(b, loc, panel0, index(shape.lanes));
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), col0};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(match.m),
                                     b.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  Value shared = forall.getRegionIterArgs()[0];
  Value slice =
      tensor::ExtractSliceOp::create(b, loc, shared, offsets, sizes, strides);
  outColumnOrigin = col0;
  Value result = emitColumnBlock(slice, panel0);
  outColumnOrigin = Value();
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, result, shared, offsets, sizes,
                                        strides);
  return forall.getResult(0);
}

Value KernelEmitter::emit() {
  init = findInitialValue(match.op.getDpsInitOperand(0)->get());
  DenseElementsAttr packedAttr =
      packWeights(match.weights, match.transposed, shape);
  packed = arith::ConstantOp::create(b, loc, packedAttr);
  int64_t panels = llvm::divideCeil(match.n, shape.lanes);
  if (match.kind == KernelKind::Int8 && shape.kGroup == 4 && match.lhsSigned) {
    SmallVector<int64_t> sums =
        getWeightColumnSums(match.weights, match.transposed);
    SmallVector<int32_t> values(panels * shape.lanes, 0);
    for (auto [col, sum] : llvm::enumerate(sums))
      values[col] = static_cast<int32_t>(-128 * sum);
    auto type = RankedTensorType::get({panels * shape.lanes}, b.getI32Type());
    correction = arith::ConstantOp::create(
        b, loc, DenseIntElementsAttr::get(type, ArrayRef(values)));
  }

  Type outElement =
      epilogue ? cast<RankedTensorType>(epilogue->getResult(0).getType())
                     .getElementType()
               : cast<RankedTensorType>(match.op->getResult(0).getType())
                     .getElementType();
  Value out = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{match.m, match.n}, outElement);

  int64_t vectors = match.m == 1 ? shape.matvecVectors : shape.vectors;
  vectors = std::min(vectors, panels);
  int64_t rows = std::min(shape.rows, match.m);
  int64_t fullPanels = match.n / shape.lanes;
  int64_t mainBlocks = fullPanels / vectors;
  int64_t tailPanels = panels - mainBlocks * vectors;
  int64_t rowBlocks = match.m / rows;
  int64_t tailRows = match.m % rows;

  // All rows of the panels from `panel0`.
  auto emitColumnBlock = [&](Value out, Value panel0, int64_t count,
                             int64_t validInLast) {
    if (rowBlocks == 1) {
      out = emitBlock(out, rows, index(0), count, panel0, validInLast);
    } else if (rowBlocks > 1) {
      auto loop = scf::ForOp::create(
          b, loc, index(0), index(rowBlocks * rows), index(rows),
          ValueRange{out},
          [&](OpBuilder &nested, Location, Value row0, ValueRange current) {
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(nested.getInsertionBlock());
            Value next =
                emitBlock(current[0], rows, row0, count, panel0, validInLast);
            scf::YieldOp::create(b, loc, next);
          });
      out = loop.getResult(0);
    }
    if (tailRows > 0)
      out = emitBlock(out, tailRows, index(rowBlocks * rows), count, panel0,
                      validInLast);
    return out;
  };

  if (mainBlocks == 1) {
    out = emitColumnBlock(out, index(0), vectors, shape.lanes);
  } else if (splitsAcrossThreads(mainBlocks, vectors * shape.lanes)) {
    out = emitParallelColumnBlocks(
        out, mainBlocks, vectors, [&](Value slice, Value panel0) {
          return emitColumnBlock(slice, panel0, vectors, shape.lanes);
        });
  } else if (mainBlocks > 1) {
    auto loop = scf::ForOp::create(
        b, loc, index(0), index(mainBlocks * vectors), index(vectors),
        ValueRange{out},
        [&](OpBuilder &nested, Location, Value panel0, ValueRange current) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(nested.getInsertionBlock());
          Value next =
              emitColumnBlock(current[0], panel0, vectors, shape.lanes);
          scf::YieldOp::create(b, loc, next);
        });
    out = loop.getResult(0);
  }
  if (tailPanels > 0) {
    int64_t validInLast = match.n - (panels - 1) * shape.lanes;
    out = emitColumnBlock(out, index(mainBlocks * vectors), tailPanels,
                          validInLast);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

int64_t qnn::rewriteContractionsWithKernels(ModuleOp module,
                                            KernelTarget target,
                                            int64_t threads) {
  Operation *root = module;
  SymbolTable symbols(module);
  SmallVector<MatmulMatch> matches;
  root->walk([&](linalg::LinalgOp op) {
    if (std::optional<MatmulMatch> match = matchMatmul(op))
      matches.push_back(*match);
  });

  int64_t rewritten = 0;
  IRRewriter rewriter(root->getContext());
  for (MatmulMatch &match : matches) {
    // An earlier rewrite may have replaced the producer of the activations
    // (the epilogue of the previous layer): read them afresh.
    match.lhs = match.op.getDpsInputOperand(0)->get();
    KernelTarget chosen = target;
    if (match.kind == KernelKind::Int8 && !match.weightsSigned &&
        !fitsSignedBytes(match.weights) &&
        (chosen == KernelTarget::Avx512Vnni || chosen == KernelTarget::AvxVnni))
      // vpdpbusd reads the weights as signed bytes: u8 weights above 127
      // take the exact int16 route, available on every VNNI CPU.
      chosen = KernelTarget::Avx2;
    std::optional<KernelShape> shape = getKernelShape(chosen, match.kind);
    if (!shape)
      continue;

    Value result = match.op->getResult(0);
    linalg::GenericOp epilogue;
    unsigned epilogueInput = 0;
    if (result.hasOneUse()) {
      if (auto consumer =
              dyn_cast<linalg::GenericOp>(*result.getUsers().begin())) {
        if (std::optional<unsigned> input = matchEpilogue(consumer, result)) {
          epilogue = consumer;
          epilogueInput = *input;
        }
      }
    }

    Operation *replaced = epilogue ? epilogue.getOperation() : match.op;
    // Where the epilogue was: its inputs and the matmul's are all defined
    // before it.
    rewriter.setInsertionPoint(replaced);
    KernelEmitter emitter(rewriter, match.op.getLoc(), symbols, match, *shape,
                          epilogue, epilogueInput, threads);
    Value replacement = emitter.emit();
    Value init = match.op.getDpsInitOperand(0)->get();
    rewriter.replaceAllUsesWith(replaced->getResult(0), replacement);
    rewriter.eraseOp(replaced);
    if (epilogue)
      rewriter.eraseOp(match.op);
    // The initial value's producer (a bias broadcast, a fill) is dead when
    // the kernel read its source directly. Only those two kinds: another
    // matmul (accumulated into this one) may still be in `matches`.
    if (Operation *def = init.getDefiningOp();
        def && def->use_empty() &&
        (isa<linalg::FillOp>(def) ||
         (isa<linalg::GenericOp>(def) &&
          cast<linalg::GenericOp>(def).getNumReductionLoops() == 0)))
      rewriter.eraseOp(def);
    ++rewritten;
  }
  return rewritten;
}
