/**
 * Every weight and threshold the engine's stages decide with, in one place. Most were
 * fitted by a coordinate search on the dev and training questions of bench/qa, keeping
 * out-of-scope rejection at least where it was; the held-out questions took no part.
 * How each was chosen, with its figures, is in docs/benchmarks.md.
 */
export const THRESHOLDS = {
  /** Minimum gate score to answer rather than admit not knowing (EngineOptions.acceptScore). */
  accept: 0.3,
  /** Candidates closer than this to the best one make the engine ask which one (EngineOptions.clarifyMargin). */
  clarifyMargin: 0.015,
  /** Candidates a clarification offers at most. */
  clarifyOptions: 4,

  // Indexing: how much a field counts before the question is read.
  /** A catalogue item the hall itself added outranks a seed item of the same name. */
  hallPrior: 1.02,
  /** A sub-case's full name, a hair below the item's own name. */
  casePrior: 0.99,
  /** A FAQ entry's keyword, below its question. */
  faqKeywordPrior: 0.97,
  /** A place's English name, below its Chinese one. */
  placeEnglishPrior: 0.98,
  /** Credit of the department's name in whole-entry coverage: who handles a thing is a weaker clue than what it is called. */
  departmentCredit: 0.6,

  // Everyday aliases (config item-aliases.json): a match on one counts a little less than
  // on the name, and is accepted only when most of the alias was said, or nearly so with
  // most of the question explained and a sure score.
  aliasPrior: 0.9,
  aliasCoverage: 0.65,
  aliasNearCoverage: 0.6,
  aliasNearGate: 0.55,
  /** When an alias is not said well enough, the entry answers only if this much of one of its own names was said. */
  aliasByName: 0.5,

  // The lexical index (matcher.ts).
  /** Weight of a function character (的及和与或之): it joins words and names nothing. */
  functionWeight: 0.3,
  /** Floor of the spread discount: a word used by every department still counts a little. */
  genericFloor: 0.3,
  /** Spread factor at or above which a pair counts as naming a subject (three departments or fewer). */
  distinctSpread: 0.75,
  /** Floor of the discount that acceptance judges coverage with: procedure words count more there than in ranking. */
  gateFloor: 0.5,
  /** Departments a word may span before it starts to count less. */
  spreadScale: 6,
  /** Credit of a unit heard as a homophone of the name's, and as a near sound (fuzzy syllable). */
  homophone: 0.85,
  nearSound: 0.65,
  /** Credit of a unit matched alone, without a matching neighbour. */
  lone: 0.5,
  /** A field's score: prior × (share of the field said)^a × (share of the question explained)^b. */
  docCoverageExponent: 0.5,
  questionCoverageExponent: 0.5,

  // Retrieval.
  /** A reading of the question by sound (假照 taken as 驾照) is a guess that the recogniser erred: what was written wins a near tie. */
  soundReading: 0.94,
  /** The question with its cue words kept finds only an entry that this much of the phrase names. */
  withCuesCoverage: 0.9,
  /** A lookup (…查询、…下载) the visitor did not ask for. */
  unaskedLookup: 0.85,
  /** An operation in the name (注销, 补发…) the visitor did not say. */
  unsaidOperation: 0.93,
  /** A place, when the visitor asked where or to be taken. */
  placeWanted: 1.04,
  /** Entities rescored as whole entries. */
  unionPool: 20,
  /** How much of the union's extra coverage counts. */
  unionShare: 0.5,
  /** Exponent of the union boost, before unionShare. */
  unionExponent: 0.6,
  /** Exponent of the plain-coverage discount in the gate. */
  plainExponent: 0.4,
  /** Score gained per share of the question said as one stretch of a field. */
  runBonus: 0.5,
  /** Leaders whose sub-case is looked for. */
  casePool: 10,
  /** A sub-case is named when this much of its name was said… */
  caseCoverage: 0.75,
  /** …and this much more than of any other case. */
  caseLead: 0.1,
  /** A case field that won counts when it was said nearly whole. */
  caseFieldCoverage: 0.9,

  // Reranking by the optional embedding model.
  /** Candidates the reranker sees. */
  rerankPool: 8,
  /** Share of the final score given to the reranker (EngineOptions.rerankWeight). */
  rerankWeight: 0.3,

  // Acceptance: how much of an entry's name, or of the question, must have been said.
  /** Most of the name said. */
  nameSaid: 0.5,
  /** Or most of the question explained… */
  questionExplained: 0.6,
  /** …with this much of the name. */
  nameSaidWithQuestion: 0.3,
  /** A score at which an entry is accepted however little of its name was said… */
  sureScore: 0.4,
  /** …as long as this much was. */
  nameSaidWhenSure: 0.2,
  /** A FAQ entry (or a place not asked for) matches on short keywords, so it must explain this much of the question. */
  faqQuestionCoverage: 0.6,
  /** How sure the learned preference must be that another candidate beats the leader before it reorders them. */
  preferConfidence: 0.5,
  /** How far behind the leader a candidate that names more of the subject may be and still take its place. */
  promoteMargin: 0.1,
  /** Candidates looked at for that. */
  promotePool: 6,
  /** Behind a FAQ entry or place that explains too little, entries up to this rank may answer instead. */
  fallbackPool: 3,
  /** A close candidate stays in a clarification when it says this share of the subject words the best one says. */
  distinctKeep: 0.5,
  /** Credit of a subject word a candidate shares with the question by sound only, not in the same characters. */
  soundOnly: 0.4,
  /** Places of one kind this close to the best are the same place to a visitor (the nearest wins). */
  placeMargin: 0.1,
  /** Items of another organisation this close to the leader are tied with it: the question must name the organisation, or the robot asks which. */
  organisationMargin: 0.02,
  /** Names at least this alike (Dice of character pairs) are near-duplicates that only the organisation tells apart. */
  organisationNameLike: 0.6,
  /** How much more one organisation must be named than the next to be taken as meant. */
  organisationLead: 0.3,
  /** Coverage both ways at which the question is an entry's name outright. */
  exact: 0.99,

  // Dialogue.
  /** A follow-up names a case of the item under discussion when this much of the case was said… */
  followUpCase: 0.75,
  /** …unless another entry was accepted with at least this score. */
  followUpOverride: 0.85,
  /** A question whose words are more than this share (by character weight) foreign to the item under discussion and its cases names a new subject: no follow-up. */
  followUpForeign: 0.3,
  /** A FAQ entry overrides the hall's opening hours only at this score. */
  hoursFaqScore: 0.9,
  /** Asking for a person wins over a match below this score. */
  humanOverScore: 0.8,
  /** A question naming a 一件事 bundle is answered with one service instead when the engine is this sure of it (开饭店 + 食品安全管理员考试). */
  bundleYield: 0.8,
  /** Confidence of an answer chosen by dialogue rules rather than by a match. */
  ruleConfidence: 0.9,
  /** Confidence of a follow-up naming a case of the item under discussion. */
  followUpCaseConfidence: 0.9,
  /** Confidence of a follow-up about the item under discussion. */
  followUpConfidence: 0.8,

  // Composition: the confidence reported with an answer.
  /** The share of the score a clear lead (leadFull ahead of the runner-up) adds. */
  leadShare: 0.3,
  leadFull: 0.15,
  /** A clarification's confidence, as a share of the leader's score. */
  clarifyConfidence: 0.5,
} as const;
