import type { IrtSettings } from './constants';

/** What one competence's own answers say about its ability. */
export interface CompetenceEvidence {
  /** EAP under the population prior, from this competence's answers only. */
  theta: number;
  /** Nominal information of those answers (Σ α² × itemInformation); 0 when there are none. */
  information: number;
}

export interface NormalPrior {
  mean: number;
  sd: number;
}

/**
 * Prior of each competence given the other competences' answers, under the model
 * θ_c = g + e_c, g ~ N(μ, τ²), e_c ~ N(0, σ²), with σ = competenceSd and τ² + σ² = priorSd² (so a
 * learner nobody knows anything about gets the population prior).
 *
 * Each other competence k is summarised as a normal measurement of θ_k: its EAP, un-shrunk from the
 * population prior, with precision λ_k = its nominal information; it measures g with variance
 * σ² + 1/λ_k. The posterior of g from the others (leave-one-out, so a competence never counts its own
 * answers twice) gives θ_c ~ N(E[g], σ² + Var[g]). Each competence's EAP grows with its right answers
 * and the weights do not depend on outcomes, so a right answer anywhere never lowers any prior mean.
 */
export function hierarchicalPriors(
  evidence: readonly CompetenceEvidence[],
  settings: Pick<IrtSettings, 'priorMean' | 'priorSd' | 'competenceSd' | 'hierarchical'>,
): NormalPrior[] {
  const { priorMean: mu, priorSd } = settings;
  const populationVariance = priorSd * priorSd;
  const specificVariance = settings.competenceSd * settings.competenceSd;
  const generalVariance = populationVariance - specificVariance;
  if (!settings.hierarchical || generalVariance <= 0) {
    return evidence.map(() => ({ mean: mu, sd: priorSd }));
  }
  const weights = new Float64Array(evidence.length);
  const measures = new Float64Array(evidence.length);
  let totalWeight = 0;
  let totalWeighted = 0;
  evidence.forEach(({ theta, information }, k) => {
    if (!(information > 0)) return;
    const measure = mu + ((theta - mu) * (1 / populationVariance + information)) / information;
    const weight = 1 / (specificVariance + 1 / information);
    weights[k] = weight;
    measures[k] = measure;
    totalWeight += weight;
    totalWeighted += weight * measure;
  });
  return evidence.map((_, c) => {
    const precision = 1 / generalVariance + totalWeight - weights[c]!;
    const mean = (mu / generalVariance + totalWeighted - weights[c]! * measures[c]!) / precision;
    return { mean, sd: Math.sqrt(specificVariance + 1 / precision) };
  });
}
