// The series `reliability-lens rules` records, as the engine finds them on a server.

/** Which SLOs' recorded series a server holds, asked once per session (and again after a refresh error). */
export interface RecordedSeriesCheck {
  /** Evaluation time the check was made for. */
  at: number;
  /** Record identity (core/recordingRules.ts) → how far back the records reach, epoch ms. */
  since: Map<string, number>;
}
