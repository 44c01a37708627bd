/**
 * The terms the evaluation pages must use, each explained for a MASH manager in a sentence
 * or two, in words that match what is measured (staff decisions are what the model learns
 * from, not what was needed). Pages show the terms they use with `Glossary`
 * (src/components/glossary.ts).
 *
 * @example GLOSSARY.auc // "AUC (area under the ROC curve): …"
 */
export const GLOSSARY = {
  auc:
    "AUC (area under the ROC curve): the chance that a contact staff shared is ranked above a contact staff did not share, " +
    "taking one of each at random. 0.5 is a coin toss, 1 a perfect ranking.",
  averagePrecision:
    "Average precision: how many of the contacts the model ranks highest were shared by staff, averaged over every cut-off; " +
    "compare it with the share of all contacts staff shared.",
  brier: "Brier score: the average squared gap between the score and what staff decided (1 shared, 0 not); lower is better.",
  calibration: "Calibration: whether scores mean what they say — of contacts scored about 30%, about 30 in 100 were shared by staff.",
  ece:
    "Expected calibration error (ECE): the average gap between scores and the observed share, over ten score bins. Even a " +
    "perfectly calibrated score shows a small ECE from chance alone (its noise floor).",
  falsePositive:
    "False positive: a contact the model flags at the chosen cut-off that staff did not share. False negative: one it does " +
    "not flag that staff shared.",
  falseReassurance: "False reassurance: of the contacts the model does not flag, the share staff shared (the false omission rate).",
  ppv: "Positive predictive value (PPV): of the contacts the model flags, the share staff shared.",
  interval: "95% interval: the range of values the data are consistent with; a wide interval means few contacts and an uncertain figure.",
  threshold: "Cut-off: the score from which a contact is flagged; moving it trades false positives against false negatives.",
  labelBias:
    "Label bias: when staff decisions, which the model learns from, differ between groups of children beyond their needs; a " +
    "model trained on them repeats the difference and error rates measured against those decisions cannot reveal it.",
  contrast:
    "Contrast: how much a category moves the score compared with a reference category of the same variable, on the " +
    "log-odds scale (0 is no difference; positive raises the score).",
} as const;

export type GlossaryTerm = keyof typeof GLOSSARY;
