'use client';
/**
 * Whether the log follows its newest line. It does until the reader scrolls up, and again once
 * they reach the bottom or jump there; meanwhile the lines that arrived are counted.
 */
import { useCallback, useRef, useState, type RefObject } from 'react';
import { ROW, tailAfterScroll } from './logWindow';

export interface FollowTail {
  /** The scrolling element of the log. */
  scroller: RefObject<HTMLDivElement | null>;
  following: boolean;
  /** Lines that arrived while not following. */
  unseen: number;
  /** Following now (for callbacks that outlive the render). */
  isFollowing: () => boolean;
  /** Follow again and forget the unseen count (a fresh load, or the reader's jump). */
  resume: () => void;
  addUnseen: (count: number) => void;
  /** Keeps the newest line in view while following. */
  scrollToEnd: () => void;
  /** Keeps the line being read in place after `rows` lines were put in front of it. */
  keepPlace: (rows: number) => void;
  onScroll: () => void;
  jumpToLatest: () => void;
}

export function useFollowTail(): FollowTail {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  // The state is for rendering; live callbacks read this, which is current between renders.
  const followingRef = useRef(true);
  const lastTop = useRef(0);

  const isFollowing = useCallback(() => followingRef.current, []);
  const resume = useCallback(() => {
    followingRef.current = true;
    setFollowing(true);
    setUnseen(0);
  }, []);
  const addUnseen = useCallback((count: number) => {
    if (!followingRef.current) setUnseen((n) => n + count);
  }, []);
  const scrollToEnd = useCallback(() => {
    const el = scroller.current;
    if (followingRef.current && el) el.scrollTop = el.scrollHeight;
  }, []);
  const keepPlace = useCallback((rows: number) => {
    const el = scroller.current;
    if (el) requestAnimationFrame(() => (el.scrollTop += rows * ROW));
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const change = tailAfterScroll(el, lastTop.current, followingRef.current);
    lastTop.current = el.scrollTop;
    if (change === 'resume') resume();
    else if (change === 'pause') {
      followingRef.current = false;
      setFollowing(false);
    }
  };
  const jumpToLatest = () => {
    resume();
    scrollToEnd();
  };

  return { scroller, following, unseen, isFollowing, resume, addUnseen, scrollToEnd, keepPlace, onScroll, jumpToLatest };
}
