// Questions a server asks its client: roots, elicitation, sampling (see types.ts).
export * from './types';
export { askCapabilities, installAskHandlers, type InputAnswerer } from './install';
export { offersRoots, rootsFor, rootsOf } from './roots';
export * from './elicitFields';
export { contentText, samplingTranscript } from './samplingText';
