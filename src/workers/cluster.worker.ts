/// <reference lib="webworker" />
// The browser worker for one mini-cluster rank behind Comlink. All logic lives in clusterRank.ts.
import * as Comlink from 'comlink';
import { createRankApi } from './clusterRank';

Comlink.expose(createRankApi());
