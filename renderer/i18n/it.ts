// Italian messages (partial: missing keys fall back to English).
import type { Catalogue } from './en';

export const it: Catalogue = {
  'nav.model': 'Modello',
  'nav.overview': 'Panoramica',
  'nav.parameters': 'Parametri',
  'nav.markov': 'Modelli di Markov',
  'nav.tree': 'Alberi decisionali',
  'nav.analyses': 'Analisi',
  'nav.baseCase': 'Caso base',
  'nav.dsa': 'Analisi deterministica',
  'nav.scenarios': 'Scenari e sottogruppi',
  'nav.psa': 'Analisi probabilistica',
  'nav.budget': 'Impatto sul budget',
  'toolbar.open': 'Apri…',
  'toolbar.save': 'Salva',
  'toolbar.undo': 'Annulla',
  'toolbar.redo': 'Ripeti',
  'toolbar.export': 'Esporta in Excel',
  'common.strategy': 'Strategia',
  'common.cost': 'Costo',
  'common.effect': 'Efficacia',
  'psa.cancel': 'Annulla',
};
