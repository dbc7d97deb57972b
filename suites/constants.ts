// The empirical constants `cmbounds estimate <symbol>` measures (the composition root's view); defined beside the
// constants study, which reads its L̂_f, ĉ₂, ĉ₄ through the same recipes.
export { constants } from '../studies/constantRecipes.ts';
