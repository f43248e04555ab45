export * from './model';
export { PROFILES, findProfile, type HardwareProfile } from './profiles';
