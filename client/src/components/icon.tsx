import { Image } from '@tarojs/components'
import bag from '../assets/icons/bag.png'
import calendar from '../assets/icons/calendar.png'
import card from '../assets/icons/card.png'
import cup from '../assets/icons/cup.png'
import gift from '../assets/icons/gift.png'
import invite from '../assets/icons/invite.png'
import review from '../assets/icons/review.png'
import share from '../assets/icons/share.png'
import survey from '../assets/icons/survey.png'
import tasks from '../assets/icons/tasks.png'

/** The project's own icons (drawn by scripts/draw-icons.mjs): the same on every phone, with or without an emoji font. */
const SOURCES = { bag, calendar, card, cup, gift, invite, review, share, survey, tasks } as const
export type IconName = keyof typeof SOURCES

export function Icon({ name, className = '' }: { name: IconName; className?: string }) {
  return <Image className={`icon jf-icon jf-icon-${name} ${className}`} src={SOURCES[name] as string} mode='aspectFit' />
}
