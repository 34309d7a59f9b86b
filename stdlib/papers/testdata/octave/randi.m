function r = randi(n)
  % Shadows the builtin: randi(n) returns the next value of the tick
  % sequence the Go test wrote (global LLMSAM_I), checked to lie in 1..n.
  global LLMSAM_I LLMSAM_IK
  LLMSAM_IK = LLMSAM_IK + 1;
  if LLMSAM_IK > numel(LLMSAM_I)
    error('llmsam: out of ticks after %d', numel(LLMSAM_I));
  end
  r = LLMSAM_I(LLMSAM_IK);
  if r < 1 || r > n
    error('llmsam: tick %d is %d, want 1..%d', LLMSAM_IK, r, n);
  end
end
