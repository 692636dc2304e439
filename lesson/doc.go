// Package lesson is what the backprop notebooks call: traces of a forward
// and backward pass (Trace), the derivation as Markdown + LaTeX
// (Derivation), numeric checks of its equations (Check…), the lab's bug
// (WithLabBug), MNIST helpers and saved models. Charts come from the
// sub-package lesson/chart; the functions here that return charts adapt a
// Trace, an mnist.Set or an nn.Network to it. nn, gradcheck and mnist know
// nothing of notebooks.
//
// Everything returns values or strings (HTML, Markdown, text) and is tested
// outside Jupyter. The Display functions are a thin layer over GoNB's
// gonbui: each shows one rendering and calls gonbui.Sync; outside a
// notebook they do nothing.
//
// Notation, as in the derivation: layers s = 1 … h, W⁽ˢ⁾ ∈ ℝ^(n_out×n_in),
// u = W a, v = u + b, a = φ(v), a⁽⁰⁾ = x, softmax output, E the mean
// cross-entropy with the ln, δ = ∂E/∂v, ReLU′(0) = 0. Batches follow nn: one
// example per row, so a Trace's U, V, A, DPhi, Delta are N×n_out and δ
// includes the 1/N of the batch mean. Inconsistent shapes panic with both
// sizes in the message; missing data or files are errors.
//
// # By notebook
//
// What each lesson's cells call, listed at the first lesson that calls it,
// with the file that holds it (TestDocIndex keeps this list in step with
// the notebooks). Names no lesson calls are unexported.
//
//   - 01 The forward pass: DisplayDerivation, DisplayMarkdown, DisplayChecks
//     (display.go); TinyNet, TinyExample, WalkthroughStep, TinyBatch
//     (walkthrough.go); NewTrace (trace.go); ParamsText, ForwardShapes,
//     InactiveFraction (forward.go); CheckLinear, CheckBias,
//     CheckActivation, CheckBiasTrick, CheckBatchRows, CheckDerivative
//     (check_equations.go); Examples (data.go); ActivationHistograms
//     (plots.go).
//   - 02 The computational graph: GateExample, GraphText, GraphChart,
//     CheckGateFD, ScalarGraph, CheckGraphGrads, CheckBP
//     (computational_graph.go); CheckEngineBackward, CheckEngineOps,
//     EngineBugsDemo (engine_exercise.go); BackpropSteps, WeightSlider
//     (interactive.go); the scalar engine is lesson/autodiff.
//   - 03 Backpropagation: CheckDelta, CheckOutputDelta, CheckHiddenDelta,
//     CheckWeightGrad, CheckBiasGrad, CheckGrad, CheckBatchMean
//     (check_equations.go); Step (derivation.go); UnmaskedWeightGrad,
//     BackwardShapes, ZeroGradientText (backward.go); DisplayTrace
//     (display.go); GradientHistograms (plots.go).
//   - 04 Softmax and cross-entropy: Trace (trace.go); CheckSoftmaxForms,
//     CheckLikelihood, CheckSoftmaxJacobian, CheckNoLnDelta
//     (check_equations.go); OutputBars (plots.go); LikelihoodText,
//     StableSoftmax, SoftmaxJacobian, LnComparison, SoftmaxOverflow
//     (softmax.go); Check (check.go); LossDerivations,
//     CheckLossDerivation, WeightDecay, CheckWeightDecayGraph
//     (loss_derivations.go).
//   - 05 Gradient checking: ThresholdsMarkdown, StepSweepSeries, SweepBest,
//     ReLUSum, TaylorCompare (gradcheck.go); DisplayText, DisplayHTML
//     (display.go); LabBugMarkdown, WithLabBug (labbug.go); CompareLabBug,
//     BugGalleryHTML, CheckBug (bugs.go); StepSlider (interactive.go).
//   - 06 Training on MNIST: MustLoadMNIST, TopConfusions, Confusion, Labels
//     (data.go); SetDigits, FirstLayerWeights, SetConfusionMatrix,
//     SetMisclassified (plots.go); EvaluateLab, ActivationStats
//     (training.go); SaveModel, MustLoadModel (models.go); HoldOut,
//     Selection, SelectionTable, SelectionCharts (validation.go).
//   - 07 Initialization: InitStudy, ComparedInits, CheckReLUScaling,
//     InitTable, FirstLayerGap, InitCharts, InitLossCurves
//     (initialization.go); SymmetryStudy, Constant, SymmetryTable,
//     VarianceFlow, VarianceRules, MeasureVarianceFlow, CheckVarianceFlow,
//     VarianceTable (initialization_theory.go); DepthRun, DepthVariants,
//     MeasureDepth, DepthTable (deep_signal.go); ScaledInits
//     (interactive.go).
//   - 08 The learning rate and the batch size: CheckSGDStep,
//     MeasureBowl, CheckBowl, RateStudy, RateTable, RateLossCurves,
//     SpreadTable, GradSpreadTable, NoiseTable (learning_rate.go);
//     RateSlice (interactive.go).
//   - 09 What backpropagation costs: CountProducts, CheckProducts,
//     TimePasses, ParamCount, FDVersusBackprop (cost_of_backprop.go).
//   - 10 Exercises: nothing new (TinyNet; the checks are package grading's).
package lesson
