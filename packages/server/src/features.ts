import { brandingFeature } from './branding/branding-feature.js';
import { appPhoneFeature } from './calls/app-phone-feature.js';
import { conferenceFeature } from './calls/conference/conference-feature.js';
import { telephonyFeature } from './calls/telephony-feature.js';
import { confirmFeature } from './confirm/confirm-feature.js';
import type { Feature } from './core/feature.js';
import { deflectionFeature } from './deflection/deflection-feature.js';
import { emergencyFeature } from './emergency/emergency-feature.js';
import { deskFeature } from './desk/desk-feature.js';
import { rewardsFeature } from './rewards/rewards-feature.js';
import { roomsFeature } from './rooms/rooms-feature.js';
import { conversationsFeature } from './rooms/conversations/conversations-feature.js';
import { routingFeature } from './routing/routing-feature.js';
import { rulesFeature } from './rules/rules-feature.js';
import { smsFeature } from './sms/sms-feature.js';
import { vaultFeature } from './vault/vault-feature.js';
import { webrtcFeature } from './webrtc/webrtc-feature.js';

/**
 * Every feature the server runs. The server orders them by what they need
 * (core/feature.ts), so this order only breaks ties; adding a feature is adding its folder and a line here.
 */
export const features: readonly Feature[] = [
  telephonyFeature,
  conferenceFeature,
  webrtcFeature,
  appPhoneFeature,
  routingFeature,
  roomsFeature,
  brandingFeature,
  confirmFeature,
  smsFeature,
  deflectionFeature,
  conversationsFeature,
  rulesFeature,
  emergencyFeature,
  vaultFeature,
  deskFeature,
  rewardsFeature,
];
